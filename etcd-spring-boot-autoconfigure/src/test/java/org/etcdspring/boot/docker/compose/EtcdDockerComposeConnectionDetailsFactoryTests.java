package org.etcdspring.boot.docker.compose;

import java.lang.reflect.Constructor;
import java.net.URI;
import java.util.List;
import java.util.Map;

import org.etcdspring.boot.autoconfigure.EtcdConnectionDetails;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mapping of a running etcd Compose service to {@link EtcdConnectionDetails} (pure
 * mapping: no Docker involved).
 */
class EtcdDockerComposeConnectionDetailsFactoryTests {

	private final EtcdDockerComposeConnectionDetailsFactory factory = new EtcdDockerComposeConnectionDetailsFactory();

	@Test
	void officialImageShouldMapToAnHttpEndpointOnTheMappedPort() throws Exception {
		EtcdConnectionDetails details = this.factory
			.getConnectionDetails(source(service("gcr.io/etcd-development/etcd:v3.5.17", Map.of())));
		assertThat(details.getEndpoints()).containsExactly(URI.create("http://127.0.0.1:32790"));
		assertThat(details.getUsername()).isNull();
		assertThat(details.getSslBundle()).isNull();
	}

	@Test
	void bitnamiRootPasswordShouldMapToRootCredentials() throws Exception {
		EtcdConnectionDetails details = this.factory
			.getConnectionDetails(source(service("bitnami/etcd:3.5", Map.of("ETCD_ROOT_PASSWORD", "s3cret"))));
		assertThat(details.getUsername()).isEqualTo("root");
		assertThat(details.getPassword()).isEqualTo("s3cret");
	}

	@Test
	void otherImagesShouldNotMatch() throws Exception {
		assertThat(this.factory.getConnectionDetails(source(service("redis:7", Map.of())))).isNull();
	}

	@Test
	void factoryShouldBeRegisteredInSpringFactories() {
		// Other modules' factories need classes (Testcontainers) absent here: skip those.
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(ConnectionDetailsFactory.class, (type, name, failure) -> {
			})).hasAtLeastOneElementOfType(EtcdDockerComposeConnectionDetailsFactory.class);
	}

	private static DockerComposeConnectionSource source(RunningService service) throws Exception {
		Constructor<DockerComposeConnectionSource> constructor = DockerComposeConnectionSource.class
			.getDeclaredConstructor(RunningService.class, org.springframework.core.env.Environment.class);
		constructor.setAccessible(true);
		return constructor.newInstance(service, new StandardEnvironment());
	}

	private static RunningService service(String image, Map<String, String> env) {
		return new RunningService() {

			@Override
			public String name() {
				return "etcd";
			}

			@Override
			public ImageReference image() {
				return ImageReference.of(image);
			}

			@Override
			public String host() {
				return "127.0.0.1";
			}

			@Override
			public ConnectionPorts ports() {
				return new ConnectionPorts() {

					@Override
					public int get(int containerPort) {
						return (containerPort == 2379) ? 32790 : -1;
					}

					@Override
					public List<Integer> getAll() {
						return List.of(32790);
					}

					@Override
					public List<Integer> getAll(String protocol) {
						return List.of(32790);
					}

				};
			}

			@Override
			public Map<String, String> env() {
				return env;
			}

			@Override
			public Map<String, String> labels() {
				return Map.of();
			}

		};
	}

}
