package org.etcdspring.boot.autoconfigure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.Etcdctl;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials configured against an etcd without authentication: calls proceed without a
 * token after one warning, as {@code etcdctl --user} does, and authenticate once the
 * server's authentication is enabled.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdCredentialsWithoutAuthenticationIntegrationTests {

	private static final String PASSWORD = "n0-Auth-Yet-pw";

	private static EtcdLocalCluster etcd;

	@BeforeAll
	static void startEtcdWithoutAuthentication() {
		etcd = EtcdLocalCluster.start(1);
	}

	@AfterAll
	static void stop() {
		etcd.close();
	}

	@Test
	void callsShouldProceedWithoutATokenAfterOneWarningAndAuthenticateOnceEnabled(CapturedOutput output) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class))
			.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.username=root", "etcd.password=" + PASSWORD)
			.run((context) -> {
				EtcdTemplate template = context.getBean(EtcdTemplate.class);
				for (int i = 0; i < 20; i++) {
					template.put("no-auth/key", "value " + i);
					assertThat(template.get("no-auth/key")).isEqualTo("value " + i);
				}
				assertThat(occurrences(output.toString(), "authentication is not enabled on the server")).isOne();
				// The operator turns authentication on: the next call authenticates
				Etcdctl etcdctl = Etcdctl.of(etcd);
				etcdctl.run("user", "add", "root:" + PASSWORD);
				etcdctl.run("user", "grant-role", "root", "root");
				etcdctl.run("auth", "enable");
				template.put("no-auth/key", "now authenticated");
				assertThat(template.get("no-auth/key")).isEqualTo("now authenticated");
			});
		assertThat(occurrences(output.toString(), "authentication is not enabled on the server")).isOne();
		assertThat(output).doesNotContain(PASSWORD);
	}

	private static int occurrences(String text, String part) {
		Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

}
