package org.etcdspring.boot.testcontainers;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The factory is registered where Spring Boot looks for it.
 */
class EtcdContainerConnectionDetailsFactoryTests {

	@Test
	void factoryShouldBeRegisteredInSpringFactories() {
		// Factories of optional integrations (Docker Compose) cannot load here, as in
		// users' tests: skip them.
		List<ConnectionDetailsFactory> factories = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(ConnectionDetailsFactory.class, (type, name, failure) -> {
			});
		assertThat(factories).hasAtLeastOneElementOfType(EtcdContainerConnectionDetailsFactory.class);
	}

}
