package org.etcdspring.boot.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * {@code spring.config.import=etcd:} binds the {@code etcd.*} properties of the whole
 * environment being built, wherever the import and the properties come from: the command
 * line, the operating system's environment, {@code application.properties}.
 */
class EtcdConfigImportBindingIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private static EtcdTransport transport;

	private static EtcdTemplate template;

	@TempDir
	Path configDirectory;

	@BeforeAll
	static void writeConfiguration() {
		transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
		template = new EtcdTemplate(transport);
		template.put("/config/binding/app/greeting", "from etcd");
	}

	@AfterAll
	static void close() {
		template.close();
		transport.close();
	}

	@Test
	void importOnTheCommandLineShouldUsePeersFromApplicationProperties() throws IOException {
		writeApplicationProperties("etcd.peers=" + etcd.endpoint());
		try (ConfigurableApplicationContext context = run(Map.of(), "--spring.config.import=etcd:/config/binding/")) {
			assertThat(context.getEnvironment().getProperty("app.greeting")).isEqualTo("from etcd");
		}
	}

	@Test
	void importInTheEnvironmentShouldUsePeersFromApplicationProperties() throws IOException {
		writeApplicationProperties("etcd.peers=" + etcd.endpoint());
		try (ConfigurableApplicationContext context = run(Map.of("SPRING_CONFIG_IMPORT", "etcd:/config/binding/"))) {
			assertThat(context.getEnvironment().getProperty("app.greeting")).isEqualTo("from etcd");
		}
	}

	@Test
	void importInApplicationPropertiesShouldUsePeersFromTheCommandLine() throws IOException {
		writeApplicationProperties("spring.config.import=etcd:/config/binding/");
		try (ConfigurableApplicationContext context = run(Map.of(), "--etcd.peers=" + etcd.endpoint())) {
			assertThat(context.getEnvironment().getProperty("app.greeting")).isEqualTo("from etcd");
		}
	}

	@Test
	void importInApplicationPropertiesShouldUsePeersFromTheEnvironment() throws IOException {
		writeApplicationProperties("spring.config.import=etcd:/config/binding/");
		try (ConfigurableApplicationContext context = run(Map.of("ETCD_PEERS", etcd.endpoint()))) {
			assertThat(context.getEnvironment().getProperty("app.greeting")).isEqualTo("from etcd");
		}
	}

	@Test
	void etcdShouldOverrideApplicationPropertiesWhenImportedFromTheCommandLine() throws IOException {
		writeApplicationProperties("etcd.peers=" + etcd.endpoint(), "app.greeting=from the file");
		try (ConfigurableApplicationContext context = run(Map.of(), "--spring.config.import=etcd:/config/binding/")) {
			assertThat(context.getEnvironment().getProperty("app.greeting")).isEqualTo("from etcd");
		}
	}

	@Test
	void profilesActivatedFromEtcdShouldFailNamingTheProperty() throws IOException {
		template.put("/config/profiles/spring.profiles.active", "from-etcd");
		writeApplicationProperties("etcd.peers=" + etcd.endpoint());
		assertThatException().isThrownBy(() -> run(Map.of(), "--spring.config.import=etcd:/config/profiles/"))
			.withMessageContaining("spring.profiles.active")
			.withMessageContaining("etcd:/config/profiles/");
	}

	private void writeApplicationProperties(String... lines) throws IOException {
		Files.write(this.configDirectory.resolve("application.properties"), List.of(lines));
	}

	/**
	 * Runs the application with the given variables in the {@code systemEnvironment}
	 * property source, where Spring Boot reads the operating system's environment
	 * variables, and with {@code application.properties} read from the temporary
	 * directory (named by {@code SPRING_CONFIG_LOCATION} there, so that the command line
	 * holds only what the test is about).
	 */
	private ConfigurableApplicationContext run(Map<String, Object> environmentVariables, String... args) {
		Map<String, Object> variables = new LinkedHashMap<>(System.getenv());
		variables.putAll(environmentVariables);
		variables.put("SPRING_CONFIG_LOCATION", this.configDirectory.toUri().toString());
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setEnvironment(environment);
		return application.run(args);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ EtcdAutoConfiguration.class, EtcdConfigAutoConfiguration.class })
	static class TestApplication {

	}

}
