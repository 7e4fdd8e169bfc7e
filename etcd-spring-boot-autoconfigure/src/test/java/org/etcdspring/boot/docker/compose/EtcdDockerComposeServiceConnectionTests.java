package org.etcdspring.boot.docker.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.boot.autoconfigure.EtcdConnectionDetails;
import org.etcdspring.boot.docker.compose.EtcdDockerComposeConnectionDetailsFactory.EtcdDockerComposeConnectionDetails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.docker.compose.core.DockerCompose;
import org.springframework.boot.docker.compose.core.DockerComposeFile;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot's Docker Compose support starts an etcd service from a compose file, and
 * its connection details reach the application's {@link EtcdTemplate}. Needs a container
 * engine and a Compose v2 CLI ({@code dev/ensure-container-engine} provides both);
 * without them it fails.
 */
class EtcdDockerComposeServiceConnectionTests {

	/**
	 * The image tag: the first of {@code ETCD_CONTAINER_VERSIONS} (the images
	 * {@code dev/ensure-container-engine} built), else one a Docker engine pulls.
	 */
	private static final String VERSION = System.getenv().getOrDefault("ETCD_CONTAINER_VERSIONS", "").isBlank()
			? "v3.5.17" : System.getenv("ETCD_CONTAINER_VERSIONS").trim().split("\\s+")[0];

	@TempDir
	Path directory;

	@Test
	void composeServiceShouldReachTheTemplate() throws IOException {
		Path composeFile = this.directory.resolve("compose.yaml");
		// The project's name tells dev/ensure-container-engine which containers to remove
		// when a crashed test JVM left them behind.
		Files.writeString(composeFile, """
				name: etcd-spring-compose-test-%s
				services:
				  etcd:
				    image: gcr.io/etcd-development/etcd:%s
				    command: ["etcd", "--name", "etcd0", "--data-dir", "/tmp/etcd-data",
				      "--listen-client-urls", "http://0.0.0.0:2379", "--advertise-client-urls", "http://0.0.0.0:2379"]
				    ports:
				      - "2379"
				""".formatted(ProcessHandle.current().pid(), VERSION));
		// Boot stops Compose services only when the JVM exits: this test takes them down
		// itself.
		DockerCompose compose = DockerCompose.get(DockerComposeFile.of(composeFile.toFile()), null, Set.of());
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestConfiguration.class)
			.web(WebApplicationType.NONE)
			.properties("spring.docker.compose.file=" + composeFile, "spring.docker.compose.skip.in-tests=false",
					"spring.docker.compose.lifecycle-management=start-only")
			.run()) {
			EtcdConnectionDetails details = context.getBean(EtcdConnectionDetails.class);
			assertThat(details).isInstanceOf(EtcdDockerComposeConnectionDetails.class);
			assertThat(details.getEndpoints()).singleElement().satisfies((endpoint) -> {
				assertThat(endpoint.getScheme()).isEqualTo("http");
				assertThat(endpoint.getPort()).isPositive().isNotEqualTo(2379);
			});
			assertThat(details.getUsername()).isNull();
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			template.put("compose/key", "value");
			assertThat(template.get("compose/key")).isEqualTo("value");
		}
		finally {
			compose.down(Duration.ofSeconds(30));
		}
		assertThat(compose.getRunningServices()).isEmpty();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(EtcdAutoConfiguration.class)
	static class TestConfiguration {

	}

}
