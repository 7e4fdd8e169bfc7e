package org.etcdspring.boot.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The config import reads its prefix in pages within a bound, and names a document that
 * fails to parse by its key only, at start-up and on live reload; against a real etcd
 * process.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdConfigImportBoundsIntegrationTests {

	private static final String SECRET = "hunter2-do-not-print";

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private static EtcdTransport transport;

	private static EtcdTemplate template;

	@BeforeAll
	static void connect() {
		transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
		template = new EtcdTemplate(transport);
	}

	@AfterAll
	static void close() {
		template.close();
		transport.close();
	}

	@Test
	void importShouldReadEveryKeyThroughSmallPages() {
		IntStream.range(0, 9).forEach((i) -> template.put("/config/paged/app/key" + i, "v" + i));
		try (ConfigurableApplicationContext context = run("etcd:/config/paged/", "--etcd.read-page-size=2")) {
			IntStream.range(0, 9)
				.forEach((i) -> assertThat(context.getEnvironment().getProperty("app.key" + i)).isEqualTo("v" + i));
		}
	}

	@Test
	void importOverTheSizeLimitShouldFailNamingThePrefixAndTheProperty() {
		IntStream.range(0, 4).forEach((i) -> template.put("/config/large/app/key" + i, "x".repeat(100)));
		assertThatException().isThrownBy(() -> run("etcd:/config/large/", "--etcd.max-prefix-size=256B"))
			.withMessageContaining("Cannot import configuration from etcd prefix '/config/large/'")
			.withMessageContaining("more than 256 bytes")
			.withMessageContaining("etcd.max-prefix-size");
	}

	@Test
	void aMalformedYamlDocumentShouldBeNamedByItsKeyOnlyAtStartUp(CapturedOutput output) {
		template.put("/config/broken/app.yml", "app:\n  password: " + SECRET + "\n  list: [unclosed\n  - {");
		assertThatException().isThrownBy(() -> run("etcd:/config/broken/"))
			.withMessageContaining("Cannot read the etcd key '/config/broken/app.yml' as a YAML document")
			.satisfies((ex) -> assertThat(messages(ex)).doesNotContain(SECRET));
		assertThat(output.getAll()).contains("/config/broken/app.yml").doesNotContain(SECRET);
	}

	@Test
	void aMalformedPropertiesDocumentShouldBeNamedByItsKeyOnly() {
		template.put("/config/broken-properties/app.properties", "app.password=" + SECRET + "\\uZZZZ\n");
		assertThatException().isThrownBy(() -> run("etcd:/config/broken-properties/"))
			.withMessageContaining(
					"Cannot read the etcd key '/config/broken-properties/app.properties' as a " + "properties document")
			.satisfies((ex) -> assertThat(messages(ex)).doesNotContain(SECRET));
	}

	@Test
	void aMalformedYamlDocumentShouldBeNamedByItsKeyOnlyOnLiveReload(CapturedOutput output) throws Exception {
		template.put("/config/reload/app.yml", "app:\n  mode: good\n");
		try (ConfigurableApplicationContext context = run("etcd:/config/reload/")) {
			assertThat(context.getEnvironment().getProperty("app.mode")).isEqualTo("good");
			template.put("/config/reload/app.yml", "app:\n  password: " + SECRET + "\n  mode: [unclosed\n  - {");
			long deadline = System.nanoTime() + 10_000_000_000L;
			while (!output.getAll().contains("Cannot read the etcd key '/config/reload/app.yml'")
					&& System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(output.getAll()).contains("Cannot read the etcd key '/config/reload/app.yml' as a YAML document")
				.doesNotContain(SECRET);
			assertThat(context.getEnvironment().getProperty("app.mode")).isEqualTo("good");
		}
	}

	private static String messages(Throwable ex) {
		StringBuilder text = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			text.append(cause).append('\n');
		}
		return text.toString();
	}

	private static ConfigurableApplicationContext run(String importLocation, String... extraArgs) {
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> args = new ArrayList<>(
				List.of("--spring.config.import=" + importLocation, "--etcd.peers=" + etcd.endpoint()));
		args.addAll(List.of(extraArgs));
		return application.run(args.toArray(String[]::new));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ EtcdAutoConfiguration.class, EtcdConfigAutoConfiguration.class })
	static class TestApplication {

	}

}
