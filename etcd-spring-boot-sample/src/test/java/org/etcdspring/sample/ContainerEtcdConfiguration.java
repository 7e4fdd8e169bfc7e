package org.etcdspring.sample;

import org.etcdspring.boot.testcontainers.EtcdContainer;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * Runs etcd in a container of its official image for the application, where a Docker
 * engine runs; {@link LocalEtcdConfiguration} starts the local binary everywhere else.
 *
 * @author etcd-spring
 */
@TestConfiguration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sample.local-etcd", havingValue = "true", matchIfMissing = true)
public class ContainerEtcdConfiguration {

	@Bean
	@ServiceConnection
	EtcdContainer etcdContainer() {
		return new EtcdContainer();
	}

}
