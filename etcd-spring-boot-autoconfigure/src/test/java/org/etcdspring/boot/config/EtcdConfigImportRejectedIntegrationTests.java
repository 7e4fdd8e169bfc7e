package org.etcdspring.boot.config;

import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.Etcdctl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A config import that etcd answers but refuses (wrong credentials) says so, rather than
 * that etcd is not reachable, and never shows the password.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdConfigImportRejectedIntegrationTests {

	private static final String ROOT_PASSWORD = "r00t-Import-pw";

	private static final String WRONG_PASSWORD = "wr0ng-Import-pw";

	private static EtcdLocalCluster etcd;

	@BeforeAll
	static void startEtcdWithAuthentication() {
		etcd = EtcdLocalCluster.start(1);
		Etcdctl etcdctl = Etcdctl.of(etcd);
		etcdctl.run("user", "add", "root:" + ROOT_PASSWORD);
		etcdctl.run("user", "grant-role", "root", "root");
		etcdctl.run("auth", "enable");
	}

	@AfterAll
	static void stop() {
		etcd.close();
	}

	@Test
	void importWithWrongCredentialsShouldSayEtcdRefusedTheRead(CapturedOutput output) {
		assertThatIllegalStateException().isThrownBy(() -> run("etcd:/config/rejected/"))
			.withMessageContaining("Cannot import configuration from etcd prefix '/config/rejected/'")
			.withMessageContaining("etcd at " + etcd.endpoint() + " refused the read")
			.withMessageContaining("Check etcd.username, etcd.password and the user's role")
			.withMessageNotContaining("not reachable")
			.withMessageNotContaining(WRONG_PASSWORD);
		assertThat(output).doesNotContain(WRONG_PASSWORD);
	}

	@Test
	void optionalImportWithWrongCredentialsShouldWarnThatEtcdRefusedTheRead(CapturedOutput output) {
		SpringApplication application = application();
		application
			.run("--spring.config.import=optional:etcd:/config/rejected/", "--etcd.peers=" + etcd.endpoint(),
					"--etcd.username=root", "--etcd.password=" + WRONG_PASSWORD)
			.close();
		assertThat(output).contains("Skipping the optional etcd config import of '/config/rejected/': etcd at "
				+ etcd.endpoint() + " refused the read");
		assertThat(output).doesNotContain("not reachable").doesNotContain(WRONG_PASSWORD);
	}

	private static void run(String importLocation) {
		application()
			.run("--spring.config.import=" + importLocation, "--etcd.peers=" + etcd.endpoint(), "--etcd.username=root",
					"--etcd.password=" + WRONG_PASSWORD)
			.close();
	}

	private static SpringApplication application() {
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ EtcdAutoConfiguration.class, EtcdConfigAutoConfiguration.class })
	static class TestApplication {

	}

}
