package org.etcdspring.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A malformed {@code etcd.peers} fails a real application start-up with the
 * {@link InvalidEtcdPeerFailureAnalyzer}'s report.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidEtcdPeerFailureAnalyzerTests {

	@Test
	void startupWithMalformedPeerShouldReportThePropertyAndAnExample(CapturedOutput output) {
		SpringApplication application = new SpringApplication(EtcdApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--etcd.peers=etcd-1:2379,http://etcd-2"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The etcd peer 'http://etcd-2' configured by 'etcd.peers[1]' is invalid: it names no port")
			.contains("etcd.peers=http://127.0.0.1:2379,http://10.0.0.2:2379");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(EtcdAutoConfiguration.class)
	static class EtcdApplication {

	}

}
