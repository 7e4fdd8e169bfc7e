package org.etcdspring.boot.autoconfigure;

import java.util.List;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdUnavailableException;
import org.etcdspring.test.EtcdCertificates;
import org.etcdspring.test.EtcdLocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * TLS with client certificates through {@code etcd.ssl.bundle}, against a real etcd that
 * requires them.
 */
class EtcdTlsIntegrationTests {

	private static EtcdCertificates certificates;

	private static EtcdLocalCluster etcd;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class));

	@BeforeAll
	static void startEtcdWithTls() throws Exception {
		certificates = EtcdCertificates.create();
		etcd = EtcdLocalCluster.builder().tls(certificates.etcdTls()).start();
	}

	@AfterAll
	static void stop() throws Exception {
		try {
			if (etcd != null) {
				etcd.close();
			}
		}
		finally {
			if (certificates != null) {
				certificates.close();
			}
		}
	}

	@Test
	void sslBundleWithClientCertificateShouldConnect() {
		assertThat(etcd.endpoint()).startsWith("https://");
		this.contextRunner.withPropertyValues(bundle("ca.crt")).run((context) -> {
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			template.put("tls/key", "secret");
			assertThat(template.get("tls/key")).isEqualTo("secret");
		});
	}

	@Test
	void wrongCaShouldFailWithAClearTlsErrorNamingTheEndpoint() {
		this.contextRunner.withPropertyValues(bundle("other-ca.crt")).run((context) -> {
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			assertThatExceptionOfType(EtcdUnavailableException.class).isThrownBy(() -> template.get("tls/key"))
				.withMessageContaining("TLS handshake failed")
				.withMessageContaining(etcd.endpoint())
				.withMessageContaining("etcd.ssl.bundle");
		});
	}

	@Test
	void missingBundleShouldFailStartupNamingIt() {
		this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.ssl.bundle=nope")
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("nope"));
	}

	private static String[] bundle(String trustedCa) {
		return List
			.of("etcd.peers=" + etcd.endpoint(), "etcd.ssl.bundle=etcd",
					"spring.ssl.bundle.pem.etcd.keystore.certificate=file:" + certificates.file("client.crt"),
					"spring.ssl.bundle.pem.etcd.keystore.private-key=file:" + certificates.file("client.key"),
					"spring.ssl.bundle.pem.etcd.truststore.certificate=file:" + certificates.file(trustedCa))
			.toArray(String[]::new);
	}

}
