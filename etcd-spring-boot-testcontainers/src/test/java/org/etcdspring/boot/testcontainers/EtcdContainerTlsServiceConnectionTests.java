package org.etcdspring.boot.testcontainers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import javax.net.ssl.SSLHandshakeException;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.boot.autoconfigure.EtcdConnectionDetails;
import org.etcdspring.test.EtcdCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @ServiceConnection} on an {@link EtcdContainer} serving TLS, with authentication
 * too: the application trusts the container's CA and sends the credentials, over https; a
 * client that does not trust the CA is refused.
 */
@SpringJUnitConfig
@Testcontainers
class EtcdContainerTlsServiceConnectionTests {

	static final EtcdCertificates certificates = EtcdCertificates
		.create(DockerClientFactory.instance().dockerHostIpAddress());

	@Container
	@ServiceConnection
	static final EtcdContainer etcd = new EtcdContainer(EtcdTestImages.gcr(EtcdTestImages.newest()))
		.withTls(certificates.file("server.crt"), certificates.file("server.key"), certificates.file("ca.crt"))
		.withRootPassword("tls-s3cret");

	@Autowired
	EtcdConnectionDetails connectionDetails;

	@Autowired
	EtcdTemplate template;

	@AfterAll
	static void removeCertificates() {
		certificates.close();
	}

	@Test
	void templateShouldTalkHttpsWithTheCredentials() {
		assertThat(etcd.getEndpoint()).startsWith("https://");
		assertThat(this.connectionDetails.getEndpoints()).singleElement().hasToString(etcd.getEndpoint());
		assertThat(this.connectionDetails.getSslBundle()).isNotNull();
		assertThat(this.connectionDetails.getUsername()).isEqualTo("root");
		this.template.put("tls/key", "value");
		assertThat(this.template.get("tls/key")).isEqualTo("value");
	}

	@Test
	void clientNotTrustingTheCaShouldBeRefused() {
		HttpRequest health = HttpRequest.newBuilder(URI.create(etcd.getEndpoint() + "/health"))
			.timeout(Duration.ofSeconds(30))
			.build();
		assertThatExceptionOfType(SSLHandshakeException.class)
			.isThrownBy(() -> HttpClient.newHttpClient().send(health, HttpResponse.BodyHandlers.ofString()));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(EtcdAutoConfiguration.class)
	static class TestConfiguration {

	}

}
