package org.etcdspring.boot.testcontainers;

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
 * {@code @ServiceConnection} on an {@link EtcdContainer} of the gcr.io image. Needs a
 * container engine ({@code dev/ensure-container-engine} provides one); without one it
 * fails. Its twin without containers is {@link EtcdLocalServerConnectionTests}.
 */
@SpringJUnitConfig
@Testcontainers
class EtcdContainerServiceConnectionTests {

	@Container
	@ServiceConnection
	static final EtcdContainer etcd = new EtcdContainer(EtcdTestImages.gcr(EtcdTestImages.oldest()));

	@Autowired
	EtcdConnectionDetails connectionDetails;

	@Autowired
	EtcdTemplate template;

	@Test
	void connectionDetailsShouldPointAtTheContainer() {
		assertThat(this.connectionDetails.getEndpoints()).singleElement().hasToString(etcd.getEndpoint());
		assertThat(this.connectionDetails.getUsername()).isNull();
		this.template.put("container/key", "value");
		assertThat(this.template.get("container/key")).isEqualTo("value");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(EtcdAutoConfiguration.class)
	static class TestConfiguration {

	}

}
