package org.etcdspring.lock;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutual exclusion under contention: four registries (each with a client and a session of
 * its own, like four processes), three threads each, fifty critical sections per thread,
 * each a non-atomic read-then-write increment of one key. Any overlap of two critical
 * sections loses an increment.
 */
class MutualExclusionStressTests {

	private static final Log logger = LogFactory.getLog(MutualExclusionStressTests.class);

	private static final int REGISTRIES = 4;

	private static final int THREADS = 3;

	private static final int SECTIONS = 50;

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void incrementsUnderTheLockShouldNeverOverlap() throws Exception {
		List<EtcdTransport> transports = new ArrayList<>();
		List<EtcdTemplate> templates = new ArrayList<>();
		List<EtcdLockRegistry> registries = new ArrayList<>();
		ExecutorService executor = Executors.newFixedThreadPool(REGISTRIES * THREADS);
		ConcurrentLinkedQueue<long[]> sections = new ConcurrentLinkedQueue<>();
		try {
			for (int i = 0; i < REGISTRIES; i++) {
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
				EtcdTemplate template = new EtcdTemplate(transport);
				transports.add(transport);
				templates.add(template);
				registries.add(new EtcdLockRegistry(template, template.leases(), template, "stress/"));
			}
			templates.get(0).put("stress-counter", "0");
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> workers = new ArrayList<>();
			for (int r = 0; r < REGISTRIES; r++) {
				EtcdTemplate template = templates.get(r);
				EtcdLockRegistry registry = registries.get(r);
				for (int t = 0; t < THREADS; t++) {
					workers.add(executor.submit(() -> {
						start.await();
						EtcdDistributedLock lock = registry.obtain("counter");
						for (int i = 0; i < SECTIONS; i++) {
							lock.lock();
							try {
								long value = Long.parseLong(template.get("stress-counter"));
								boolean written = template.txn()
									.ifHeld(lock)
									.then(TxnOp.put("stress-counter", Long.toString(value + 1)))
									.commit()
									.succeeded();
								assertThat(written).isTrue();
								sections.add(new long[] { value, lock.fencingToken() });
							}
							finally {
								lock.unlock();
							}
						}
						return null;
					}));
				}
			}
			long began = System.nanoTime();
			start.countDown();
			for (Future<?> worker : workers) {
				worker.get(5, TimeUnit.MINUTES);
			}
			Duration took = Duration.ofNanos(System.nanoTime() - began);
			int total = REGISTRIES * THREADS * SECTIONS;
			logger.info(total + " critical sections in " + took.toMillis() + " ms ("
					+ (total * 1000L / Math.max(1, took.toMillis())) + " per second)");
			assertThat(templates.get(0).get("stress-counter")).isEqualTo(Integer.toString(total));
			// Each section read the value the previous one wrote, under a newer fencing
			// token.
			List<long[]> ordered = sections.stream().sorted((a, b) -> Long.compare(a[0], b[0])).toList();
			for (int i = 1; i < ordered.size(); i++) {
				assertThat(ordered.get(i)[0]).isEqualTo(i);
				assertThat(ordered.get(i)[1]).isGreaterThan(ordered.get(i - 1)[1]);
			}
			registries.forEach((registry) -> assertThat(registry.getLocks().lostLockCount()).isZero());
		}
		finally {
			executor.shutdownNow();
			registries.forEach(EtcdLockRegistry::destroy);
			templates.forEach(EtcdTemplate::close);
			transports.forEach(EtcdTransport::close);
		}
	}

}
