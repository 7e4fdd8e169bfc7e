package org.etcdspring.boot.config;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.boot.autoconfigure.metrics.EtcdCacheMetrics;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdLocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live reload of {@code spring.config.import=etcd:} under faults: the application's
 * member restarts while the configuration changes and the history it missed is compacted;
 * reload goes on, and a transaction changing two keys arrives as one change.
 */
class EtcdConfigReloadFaultTests {

	@Test
	@Timeout(180)
	void reloadShouldSurviveARestartAndACompactionAndApplyATransactionAtOnce() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(3);
				EtcdTransport transport = EtcdTransport
					.builder(List.of(URI.create(cluster.member(1).clientEndpoint()),
							URI.create(cluster.member(2).clientEndpoint())))
					.build();
				EtcdTemplate writer = new EtcdTemplate(transport)) {
			writer.put("/config/fault/app/mode", "first");
			writer.put("/config/fault/app/host", "a");
			writer.put("/config/fault/app/port", "1");
			// The application talks to member 0 only.
			try (ConfigurableApplicationContext context = run(cluster.member(0).clientEndpoint())) {
				Environment environment = context.getEnvironment();
				BlockingQueue<EtcdConfigChangedEvent> events = new LinkedBlockingQueue<>();
				context.addApplicationListener((ApplicationListener<EtcdConfigChangedEvent>) events::add);
				assertThat(environment.getProperty("app.mode")).isEqualTo("first");
				// The cache meters, as Actuator would bind them.
				SimpleMeterRegistry resyncs = new SimpleMeterRegistry();
				new EtcdCacheMetrics(context.getBean(EtcdTemplate.class)).bindTo(resyncs);
				assertThat(resyncs.get("etcd.cache.resyncs").functionCounter().count()).isZero();
				writer.put("/config/fault/app/mode", "second");
				await(() -> "second".equals(environment.getProperty("app.mode")));

				cluster.member(0).kill();
				// Member 0 may have been the raft leader: retry while the others elect
				// one.
				retried(() -> writer.put("/config/fault/app/mode", "while down"));
				retried(() -> writer.delete("/config/fault/app/port"));
				retried(() -> writer.put("/config/fault/app/added", "while down"));
				long revision = writer.txn().commit().revision();
				compact(cluster.member(1).clientEndpoint(), revision);
				cluster.member(0).restart();
				await(() -> "while down".equals(environment.getProperty("app.mode")));
				assertThat(environment.getProperty("app.port")).isNull();
				assertThat(environment.getProperty("app.added")).isEqualTo("while down");
				assertThat(resyncs.get("etcd.cache.resyncs").functionCounter().count()).isPositive();

				events.clear();
				writer.txn()
					.then(TxnOp.put("/config/fault/app/host", "b"), TxnOp.put("/config/fault/app/port", "2"))
					.commit();
				EtcdConfigChangedEvent event = events.poll(10, TimeUnit.SECONDS);
				assertThat(event).isNotNull();
				assertThat(event.getKeys()).containsExactlyInAnyOrder("app.host", "app.port");
				assertThat(environment.getProperty("app.host")).isEqualTo("b");
				assertThat(environment.getProperty("app.port")).isEqualTo("2");
				assertThat(events.poll(500, TimeUnit.MILLISECONDS)).isNull();
			}
		}
	}

	private static ConfigurableApplicationContext run(String endpoint) {
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application.run("--spring.config.import=etcd:/config/fault/", "--etcd.peers=" + endpoint,
				"--etcd.request-timeout=2s");
	}

	private static void retried(Runnable write) throws InterruptedException {
		for (int attempt = 1;; attempt++) {
			try {
				write.run();
				return;
			}
			catch (EtcdException ex) {
				// A put or a delete may be repeated: the outcome is the same.
				assertThat(attempt).as("write attempts, last failure: " + ex.getMessage()).isLessThan(30);
				Thread.sleep(500);
			}
		}
	}

	/** Compaction, sent from outside the client under test. */
	private static void compact(String endpoint, long revision) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(endpoint + "/v3/kv/compaction"))
				.POST(HttpRequest.BodyPublishers.ofString("{\"revision\":\"" + revision + "\",\"physical\":true}"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	private static void await(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ EtcdAutoConfiguration.class, EtcdConfigAutoConfiguration.class })
	static class TestApplication {

	}

}
