package org.etcdspring.boot.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.etcdspring.cluster.EtcdDiscoveryException;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A discovery that finds nothing fails a real application start-up with the
 * {@link EtcdDiscoveryFailureAnalyzer}'s report.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdDiscoveryFailureAnalyzerTests {

	@Test
	void startupWithUnreachableTokenShouldReportTheSourceAndWhatToCheck(CapturedOutput output) throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		String token = "http://127.0.0.1:" + port + "/6d2a5dd4";
		SpringApplication application = new SpringApplication(EtcdApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--etcd.discovery=" + token));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("etcd discovery through '" + token + "' (etcd.discovery) found no member to connect to: "
					+ "the discovery document could not be fetched")
			.contains("that the token URL is the one your cluster was started with")
			.contains("Or list the members' client URLs in 'etcd.peers'");
	}

	@Test
	void discoveryOfPlainHttpEndpointsWithCredentialsShouldSayHowToProceed() {
		EtcdDiscoveryException failure = new EtcdDiscoveryException("srv:example.com",
				"it found only plain http client URLs [http://10.0.0.1:2379], which would receive the credentials "
						+ "(user and password) in plain text; serve the members over https, or allow plain-text "
						+ "credentials explicitly",
				null);
		FailureAnalysis analysis = new EtcdDiscoveryFailureAnalyzer().analyze(failure);
		assertThat(analysis.getDescription()).contains("srv:example.com").contains("http://10.0.0.1:2379");
		assertThat(analysis.getAction()).contains("over https")
			.contains("etcd.ssl.bundle")
			.contains("etcd.allow-plaintext-credentials=true");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(EtcdAutoConfiguration.class)
	static class EtcdApplication {

	}

}
