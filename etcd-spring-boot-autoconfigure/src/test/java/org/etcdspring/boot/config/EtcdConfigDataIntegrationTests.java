package org.etcdspring.boot.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * {@code spring.config.import=etcd:} against a real etcd process.
 */
class EtcdConfigDataIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private static EtcdTransport transport;

	private static EtcdTemplate template;

	@BeforeAll
	static void writeConfiguration() {
		transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
		template = new EtcdTemplate(transport);
		template.put("/config/myapp/server.port", "18080");
		template.put("/config/myapp/app/greeting", "hello");
		template.put("/config/myapp/app.yml",
				"app:\n  mode: yaml\n  greeting: overridden by the single key\n" + "  list:\n    - a\n    - b\n");
		template.put("/config/myapp/more.properties", "app.extra=from properties\n");
		template.put("/config/other/app/greeting", "not imported");
	}

	@AfterAll
	static void close() {
		template.close();
		transport.close();
	}

	@Test
	void importedKeysShouldBecomeProperties() {
		try (ConfigurableApplicationContext context = run("etcd:/config/myapp/")) {
			Environment environment = context.getEnvironment();
			assertThat(environment.getProperty("server.port")).isEqualTo("18080");
			assertThat(environment.getProperty("app.greeting")).isEqualTo("hello");
			assertThat(environment.getProperty("app.mode")).isEqualTo("yaml");
			assertThat(environment.getProperty("app.list[1]")).isEqualTo("b");
			assertThat(environment.getProperty("app.extra")).isEqualTo("from properties");
		}
	}

	@Test
	void changesShouldReachTheEnvironmentAndAnEventWithinOneSecond() throws Exception {
		template.put("/config/live/app/mode", "before");
		try (ConfigurableApplicationContext context = run("etcd:/config/live/")) {
			BlockingQueue<EtcdConfigChangedEvent> events = new LinkedBlockingQueue<>();
			context.addApplicationListener((ApplicationListener<EtcdConfigChangedEvent>) events::add);
			long start = System.nanoTime();
			template.put("/config/live/app/mode", "after");
			EtcdConfigChangedEvent event = events.poll(1, TimeUnit.SECONDS);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
			assertThat(event).as("change event within 1 s").isNotNull();
			assertThat(elapsed).isLessThan(Duration.ofSeconds(1));
			assertThat(event.getKeys()).containsExactly("app.mode");
			assertThat(context.getEnvironment().getProperty("app.mode")).isEqualTo("after");
			template.put("/config/live/app/added", "new");
			template.delete("/config/live/app/mode");
			assertThat(events.poll(1, TimeUnit.SECONDS).getKeys()).containsExactly("app.added");
			assertThat(events.poll(1, TimeUnit.SECONDS).getKeys()).containsExactly("app.mode");
			assertThat(context.getEnvironment().getProperty("app.mode")).isNull();
			assertThat(context.getEnvironment().getProperty("app.added")).isEqualTo("new");
		}
	}

	@Test
	void keysDeletedBetweenTheImportAndTheStartShouldGoWhenTheContextStarts() {
		template.put("/config/vanishing/app/mode", "imported");
		AtomicReference<String> imported = new AtomicReference<>();
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		// Initializers run after the import read the prefix and before the context
		// starts: every key of the prefix goes, so its cache starts empty.
		application.addInitializers((context) -> {
			imported.set(context.getEnvironment().getProperty("app.mode"));
			template.delete("/config/vanishing/app/mode");
		});
		try (ConfigurableApplicationContext context = application.run("--spring.config.import=etcd:/config/vanishing/",
				"--etcd.peers=" + etcd.endpoint())) {
			assertThat(imported).hasValue("imported");
			assertThat(context.getEnvironment().getProperty("app.mode")).isNull();
		}
	}

	@Test
	void optionalImportWithEtcdDownShouldStart() {
		try (ConfigurableApplicationContext context = run("optional:etcd:/config/myapp/",
				"--etcd.peers=http://127.0.0.1:1", "--etcd.request-timeout=1s")) {
			assertThat(context.getEnvironment().getProperty("app.greeting")).isNull();
		}
	}

	@Test
	void mandatoryImportWithEtcdDownShouldFailClearly() {
		assertThatException()
			.isThrownBy(
					() -> run("etcd:/config/myapp/", "--etcd.peers=http://127.0.0.1:1", "--etcd.request-timeout=1s"))
			.withMessageContaining("Cannot import configuration from etcd prefix '/config/myapp/'")
			.withMessageContaining("http://127.0.0.1:1")
			.withMessageContaining("optional:etcd:/config/myapp/")
			.withMessageContaining("connection refused")
			.withMessageNotContaining("key ''");
	}

	private static ConfigurableApplicationContext run(String importLocation) {
		return run(importLocation, "--etcd.peers=" + etcd.endpoint());
	}

	private static ConfigurableApplicationContext run(String importLocation, String... etcdArgs) {
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> args = new ArrayList<>(List.of("--spring.config.import=" + importLocation));
		args.addAll(List.of(etcdArgs));
		return application.run(args.toArray(String[]::new));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ EtcdAutoConfiguration.class, EtcdConfigAutoConfiguration.class })
	static class TestApplication {

	}

}
