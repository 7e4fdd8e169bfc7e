package org.etcdspring.boot.testcontainers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.boot.autoconfigure.EtcdConnectionDetails;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @ServiceConnection} on an {@link EtcdContainer} of the quay.io image with
 * authentication enabled: the credentials reach the application's {@link EtcdTemplate},
 * and the server really refuses a client without them.
 */
@SpringJUnitConfig
@Testcontainers
class EtcdContainerAuthServiceConnectionTests {

	@Container
	@ServiceConnection
	static final EtcdContainer etcd = new EtcdContainer(EtcdTestImages.quay(EtcdTestImages.newest()))
		.withRootPassword("container-s3cret");

	@Autowired
	EtcdConnectionDetails connectionDetails;

	@Autowired
	EtcdTemplate template;

	@Test
	void credentialsShouldReachTheTemplate() {
		assertThat(this.connectionDetails.getEndpoints()).singleElement().hasToString(etcd.getEndpoint());
		assertThat(this.connectionDetails.getUsername()).isEqualTo("root");
		assertThat(this.connectionDetails.getPassword()).isEqualTo("container-s3cret");
		this.template.put("auth/key", "value");
		assertThat(this.template.get("auth/key")).isEqualTo("value");
	}

	@Test
	void serverShouldRefuseAnUnauthenticatedClient() throws Exception {
		HttpRequest put = HttpRequest.newBuilder(URI.create(etcd.getEndpoint() + "/v3/kv/put"))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"YQ==\",\"value\":\"Yg==\"}"))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(put, HttpResponse.BodyHandlers.ofString());
		assertThat(response.body()).contains("user name is empty");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(EtcdAutoConfiguration.class)
	static class TestConfiguration {

	}

}
