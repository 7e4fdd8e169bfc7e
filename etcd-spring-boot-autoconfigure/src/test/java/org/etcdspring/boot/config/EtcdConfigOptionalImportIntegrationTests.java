package org.etcdspring.boot.config;

import java.time.Duration;

import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.test.EtcdLocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code optional:etcd:} with etcd down: start-up goes on at once and says, once, which
 * prefix it skipped and why.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdConfigOptionalImportIntegrationTests {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

	@Test
	void optionalImportWithEtcdDownShouldWarnOnceAndStartWithoutWaitingForTheRequestTimeout(CapturedOutput output) {
		String stoppedEtcd = stoppedEtcdEndpoint();
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		long start = System.nanoTime();
		Duration startUp;
		try (ConfigurableApplicationContext context = application.run(
				"--spring.config.import=optional:etcd:/config/skipped/", "--etcd.peers=" + stoppedEtcd,
				"--etcd.request-timeout=" + REQUEST_TIMEOUT.toSeconds() + "s")) {
			startUp = Duration.ofNanos(System.nanoTime() - start);
		}
		assertThat(output.getOut()
			.lines()
			.filter((line) -> line.contains(" WARN ")
					&& line.contains("Skipping the optional etcd config import of '/config/skipped/'")))
			.as("the WARN line naming the skipped prefix, once, in:%n%s", output.getOut())
			.singleElement()
			.satisfies((line) -> assertThat(line).contains("etcd is not reachable at " + stoppedEtcd));
		assertThat(startUp).as("start-up with the etcd at %s refusing connections", stoppedEtcd)
			.isLessThan(REQUEST_TIMEOUT.dividedBy(2));
	}

	/**
	 * The endpoint of an etcd that ran and was stopped: its port refuses connections.
	 */
	private static String stoppedEtcdEndpoint() {
		try (EtcdLocalCluster etcd = EtcdLocalCluster.start(1)) {
			return etcd.endpoint();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ EtcdAutoConfiguration.class, EtcdConfigAutoConfiguration.class })
	static class TestApplication {

	}

}
