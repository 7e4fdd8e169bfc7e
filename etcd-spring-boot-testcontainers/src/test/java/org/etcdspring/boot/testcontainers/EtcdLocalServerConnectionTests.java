package org.etcdspring.boot.testcontainers;

import java.net.URI;
import java.util.List;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.boot.autoconfigure.EtcdConnectionDetails;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The twin of {@link EtcdContainerServiceConnectionTests} without a container engine: a
 * real etcd process from the local launcher supplies the {@link EtcdConnectionDetails}.
 */
@SpringJUnitConfig
class EtcdLocalServerConnectionTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Autowired
	EtcdConnectionDetails connectionDetails;

	@Autowired
	EtcdTemplate template;

	@Test
	void connectionDetailsShouldPointAtTheLocalServer() {
		assertThat(this.connectionDetails.getEndpoints()).containsExactly(URI.create(etcd.endpoint()));
		this.template.put("local/key", "value");
		assertThat(this.template.get("local/key")).isEqualTo("value");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(EtcdAutoConfiguration.class)
	static class TestConfiguration {

		@Bean
		EtcdConnectionDetails etcdConnectionDetails() {
			return () -> List.of(URI.create(etcd.endpoint()));
		}

	}

}
