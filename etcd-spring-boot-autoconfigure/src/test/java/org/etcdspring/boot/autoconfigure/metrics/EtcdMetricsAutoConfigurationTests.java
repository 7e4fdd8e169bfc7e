package org.etcdspring.boot.autoconfigure.metrics;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.cache.EtcdCache;
import org.etcdspring.core.TxnOp;
import org.etcdspring.lease.Lease;
import org.etcdspring.test.EtcdServerExtension;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the etcd meters and the request observation, against a real etcd process.
 */
class EtcdMetricsAutoConfigurationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				EtcdAutoConfiguration.class, EtcdMetricsAutoConfiguration.class))
		.withPropertyValues("etcd.peers=" + etcd.endpoint());

	@Test
	void requestsShouldBeTimedWithOperationOutcomeAndExceptionTags() {
		this.contextRunner.run((context) -> {
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			template.put("metrics/key", "v");
			template.get("metrics/key");
			template.get("metrics/key");
			try {
				template.put("metrics/big", new byte[1600 * 1024]);
			}
			catch (RuntimeException expected) {
				// counted below
			}
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Timer gets = registry.get("etcd.client.requests")
				.tags("operation", "range", "outcome", "SUCCESS", "exception", "none")
				.timer();
			assertThat(gets.count()).isEqualTo(2);
			assertThat(
					registry.get("etcd.client.requests").tags("operation", "put", "outcome", "SUCCESS").timer().count())
				.isEqualTo(1);
			assertThat(registry.get("etcd.client.requests")
				.tags("operation", "put", "outcome", "ERROR", "exception", "EtcdRequestTooLargeException")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void watchAndLeaseMetersShouldFollowTheClient() {
		this.contextRunner.run((context) -> {
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
			Lease lease = template.leases().grant(Duration.ofSeconds(10));
			try (Subscription subscription = template.watch("metrics/watched", events::add);
					var keepAlive = template.leases().keepAlive(lease, (id, reason, cause) -> {
					})) {
				assertThat(registry.get("etcd.watch.active").gauge().value()).isEqualTo(1);
				assertThat(registry.get("etcd.lease.keepalive.active").gauge().value()).isEqualTo(1);
				Thread.sleep(300);
				template.put("metrics/watched", "v");
				assertThat(events.poll(5, TimeUnit.SECONDS)).isNotNull();
				assertThat(registry.get("etcd.watch.events").functionCounter().count()).isEqualTo(1);
				assertThat(registry.get("etcd.watch.reconnects").functionCounter().count()).isZero();
				assertThat(registry.get("etcd.lease.keepalive.failures").functionCounter().count()).isZero();
			}
			assertThat(registry.get("etcd.watch.active").gauge().value()).isZero();
		});
	}

	@Test
	void cacheMetersShouldFollowTheOpenCaches() {
		this.contextRunner.run((context) -> {
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			template.put("metrics/cache/a", "1");
			template.put("metrics/cache/b", "2");
			try (EtcdCache cache = template.cache("metrics/cache/")) {
				assertThat(registry.get("etcd.cache.open").gauge().value()).isEqualTo(1);
				assertThat(registry.get("etcd.cache.size").gauge().value()).isEqualTo(2);
				long revision = template.txn().then(TxnOp.put("metrics/cache/c", "3")).commit().revision();
				assertThat(cache.awaitRevision(revision, Duration.ofSeconds(10))).isTrue();
				assertThat(registry.get("etcd.cache.size").gauge().value()).isEqualTo(3);
				assertThat(registry.get("etcd.cache.revision.lag").gauge().value()).isZero();
				assertThat(registry.get("etcd.cache.resyncs").functionCounter().count()).isZero();

				// A listener held on one change keeps the cache from applying the next
				// revisions, which its watch receives all the same: they are the lag.
				CountDownLatch held = new CountDownLatch(1);
				CountDownLatch release = new CountDownLatch(1);
				cache.addListener((change) -> {
					if (change.events().stream().anyMatch((event) -> event.key().equals("metrics/cache/hold"))) {
						held.countDown();
						try {
							release.await(60, TimeUnit.SECONDS);
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
					}
				});
				try {
					template.put("metrics/cache/hold", "1");
					assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
					long last = 0;
					for (int i = 0; i < 5; i++) {
						last = template.txn().then(TxnOp.put("metrics/cache/n" + i, "v")).commit().revision();
					}
					awaitGauge(registry, "etcd.cache.revision.lag", 5);
					assertThat(cache.revision()).isEqualTo(last - 5);
					release.countDown();
					assertThat(cache.awaitRevision(last, Duration.ofSeconds(10))).isTrue();
					assertThat(registry.get("etcd.cache.revision.lag").gauge().value()).isZero();
					assertThat(registry.get("etcd.cache.size").gauge().value()).isEqualTo(9);
				}
				finally {
					release.countDown();
				}
			}
			assertThat(registry.get("etcd.cache.open").gauge().value()).isZero();
			assertThat(registry.get("etcd.cache.size").gauge().value()).isZero();
		});
	}

	private static void awaitGauge(MeterRegistry registry, String name, double expected) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (registry.get(name).gauge().value() != expected) {
			assertThat(System.nanoTime()).as(name + " = " + registry.get(name).gauge().value() + ", not " + expected)
				.isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	@Test
	void withoutAnObservationRegistryCallsShouldStillWork() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class))
			.withPropertyValues("etcd.peers=" + etcd.endpoint())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(org.etcdspring.core.transport.EtcdRequestObserver.class);
				context.getBean(EtcdTemplate.class).put("metrics/plain", "v");
			});
	}

}
