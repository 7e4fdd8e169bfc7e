package org.etcdspring.cache;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdValueConverter;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.ReadConsistency;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.TxnResult;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.Eventually;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.watch.WatchEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link EtcdCache} against real etcd: it ends equal to the server after a member restart
 * and a compaction of the history it had not seen, and it never shows a transaction
 * half-applied.
 */
class EtcdCacheIntegrationTests {

	private static final Log logger = LogFactory.getLog(EtcdCacheIntegrationTests.class);

	@Test
	@Timeout(180)
	void cacheShouldEndEqualToTheServerAfterARestartAndACompactionItMissed() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(3);
				// The cache talks to member 0 only: while it is down the cache is cut
				// off, and the others go on.
				EtcdTransport cacheTransport = EtcdTransport
					.builder(List.of(URI.create(cluster.member(0).clientEndpoint())))
					.requestTimeout(Duration.ofSeconds(2))
					.build();
				EtcdTemplate cacheTemplate = new EtcdTemplate(cacheTransport);
				EtcdTransport writerTransport = EtcdTransport
					.builder(List.of(URI.create(cluster.member(1).clientEndpoint()),
							URI.create(cluster.member(2).clientEndpoint())))
					.requestTimeout(Duration.ofSeconds(2))
					.build();
				EtcdTemplate writer = new EtcdTemplate(writerTransport)) {
			for (int i = 0; i < 100; i += 3) {
				writer.put("cache/" + i, "initial");
			}
			EtcdCache cache = cacheTemplate.cache("cache/");
			assertThat(cache.size()).isEqualTo(34);
			Map<String, KeyValue> replayed = new HashMap<>();
			List<Long> revisionsSeen = new CopyOnWriteArrayList<>();
			cache.addListener((change) -> {
				if (change.kind() == EtcdCacheChange.Kind.UPDATE) {
					revisionsSeen.add(change.revision());
				}
				synchronized (replayed) {
					for (WatchEvent event : change.events()) {
						if (event.type() == WatchEvent.Type.PUT) {
							replayed.put(event.key(), event.kv());
						}
						else {
							replayed.remove(event.key());
						}
					}
				}
			});
			AtomicInteger done = new AtomicInteger();
			AtomicLong lastRevision = new AtomicLong();
			List<Thread> writers = new ArrayList<>();
			for (int w = 0; w < 2; w++) {
				Thread thread = new Thread(() -> {
					ThreadLocalRandom random = ThreadLocalRandom.current();
					for (int i = 0; i < 2500; i++) {
						String key = "cache/" + random.nextInt(100);
						TxnOp op = (random.nextInt(10) < 7) ? TxnOp.put(key, "v" + i) : TxnOp.delete(key);
						TxnResult result = writeWithRetries(writer, op);
						lastRevision.accumulateAndGet(result.revision(), Math::max);
						done.incrementAndGet();
					}
				}, "cache-writer-" + w);
				thread.start();
				writers.add(thread);
			}
			awaitCount(done, 1000);
			cluster.member(0).kill();
			awaitCount(done, 2000);
			long compactAt = writer.txn().commit().revision();
			EtcdAdmin.compact(cluster.member(1).clientEndpoint(), compactAt);
			logger.info("Compacted at revision " + compactAt + "; the cache reflects " + cache.revision());
			assertThat(cache.revision()).isLessThan(compactAt);
			awaitCount(done, 2500);
			cluster.member(0).restart();
			for (Thread thread : writers) {
				thread.join(TimeUnit.SECONDS.toMillis(120));
				assertThat(thread.isAlive()).isFalse();
			}
			assertThat(done).hasValue(5000);
			long last = lastRevision.get();
			assertThat(cache.awaitRevision(last, Duration.ofSeconds(30))).isTrue();
			assertThat(cache.revision()).isGreaterThanOrEqualTo(last);
			TxnResult fresh = writer.txn().then(TxnOp.getPrefix("cache/")).commit();
			assertThat(fresh.revision()).isEqualTo(last);
			Map<String, KeyValue> server = fresh.kvs(0)
				.stream()
				.collect(Collectors.toMap(KeyValue::key, (kv) -> kv, (a, b) -> a, TreeMap::new));
			assertThat(cache.asMap()).isEqualTo(server);
			// Waiters are released before listeners run: give the listener its moment.
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (!replayedEquals(replayed, server) && System.nanoTime() < deadline) {
				sleep(20);
			}
			synchronized (replayed) {
				assertThat(new TreeMap<>(replayed)).isEqualTo(server);
			}
			assertThat(cacheTemplate.getCaches().resyncCount()).isPositive();
			assertThat(revisionsSeen).isSorted();
			assertThat(revisionsSeen).doesNotHaveDuplicates();
			logger.info("Cache ended at revision " + cache.revision() + " with " + cache.size() + " keys after "
					+ cacheTemplate.getCaches().resyncCount() + " resync(s) and " + revisionsSeen.size() + " updates");
			cache.close();
			assertThat(cacheTemplate.getCaches().count()).isZero();
		}
	}

	@Test
	@Timeout(120)
	void aTransactionOfTwoKeysShouldNeverBeSeenHalfApplied() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(cluster.endpoint()))).build();
				EtcdTemplate template = new EtcdTemplate(transport);
				EtcdCache cache = template.cache("pair/")) {
			List<String> halfApplied = new CopyOnWriteArrayList<>();
			Map<String, KeyValue> copy = new HashMap<>();
			AtomicInteger changes = new AtomicInteger();
			AtomicInteger thrown = new AtomicInteger();
			cache.addListener((change) -> {
				thrown.incrementAndGet();
				throw new IllegalStateException("a listener that always fails must not stop the others");
			});
			cache.addListener((change) -> {
				changes.incrementAndGet();
				for (WatchEvent event : change.events()) {
					if (event.type() == WatchEvent.Type.PUT) {
						copy.put(event.key(), event.kv());
					}
					else {
						copy.remove(event.key());
					}
				}
				String problem = mismatch(copy);
				if (problem != null) {
					halfApplied.add("listener at " + change.revision() + ": " + problem);
				}
			});
			AtomicBoolean writing = new AtomicBoolean(true);
			AtomicInteger reads = new AtomicInteger();
			Thread reader = new Thread(() -> {
				while (writing.get()) {
					String problem = mismatch(cache.asMap());
					if (problem != null) {
						halfApplied.add("asMap: " + problem);
					}
					reads.incrementAndGet();
				}
			}, "cache-reader");
			reader.start();
			long last = 0;
			for (int i = 0; i < 400; i++) {
				TxnResult result = (i % 10 == 9)
						? template.txn().then(TxnOp.delete("pair/a"), TxnOp.delete("pair/b")).commit()
						: template.txn().then(TxnOp.put("pair/a", "v" + i), TxnOp.put("pair/b", "v" + i)).commit();
				// A single-key change in between, so that revisions of one and two keys
				// alternate.
				template.put("pair/other", "o" + i);
				last = result.revision() + 1;
			}
			assertThat(cache.awaitRevision(last, Duration.ofSeconds(30))).isTrue();
			// awaitRevision speaks of the map; its listeners hear of that revision right
			// after.
			Eventually.within(Duration.ofSeconds(10), () -> changes.get() >= 800 && thrown.get() >= 800);
			writing.set(false);
			reader.join(10_000);
			assertThat(halfApplied).isEmpty();
			assertThat(changes.get()).isGreaterThanOrEqualTo(800);
			assertThat(thrown.get()).isGreaterThanOrEqualTo(800);
			assertThat(reads.get()).isPositive();
			assertThat(cache.asMap()).containsOnlyKeys("pair/other");
		}
	}

	@Test
	@Timeout(60)
	void awaitRevisionShouldReturnOnceTheCacheReflectsAWrite() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(cluster.endpoint()))).build();
				EtcdTemplate template = new EtcdTemplate(transport);
				EtcdCache cache = template.cache("ryw/")) {
			assertThat(cache.asMap()).isEmpty();
			assertThatIllegalArgumentException().isThrownBy(() -> cache.awaitRevision(1, Duration.ofSeconds(-1)))
				.withMessageContaining("timeout");
			TxnResult written = template.txn().then(TxnOp.put("ryw/x", "1")).commit();
			assertThat(cache.awaitRevision(written.revision(), Duration.ofSeconds(10))).isTrue();
			assertThat(cache.get("ryw/x").valueAsString()).isEqualTo("1");
			assertThat(cache.awaitRevision(written.revision() + 1000, Duration.ofMillis(200))).isFalse();
			assertThatIllegalArgumentException().isThrownBy(() -> template.cache(""));
		}
	}

	@Test
	@Timeout(60)
	void awaitRevisionShouldReturnForAWriteOutsideThePrefixThroughProgressNotifications() throws Exception {
		// etcd sends a progress notification to a quiet watch every second here (10
		// minutes by default).
		try (EtcdLocalCluster cluster = EtcdLocalCluster.builder()
			.extraArgs(List.of("--experimental-watch-progress-notify-interval=1s"))
			.start();
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(cluster.endpoint()))).build();
				EtcdTemplate template = new EtcdTemplate(transport);
				EtcdCache cache = template.cache("quiet/")) {
			long before = cache.revision();
			TxnResult elsewhere = template.txn().then(TxnOp.put("elsewhere/x", "1")).commit();
			assertThat(elsewhere.revision()).isGreaterThan(before);
			// Nothing under the prefix changes: only a progress notification tells the
			// cache that the store reached this revision.
			assertThat(cache.awaitRevision(elsewhere.revision(), Duration.ofSeconds(20))).isTrue();
			assertThat(cache.asMap()).isEmpty();
			assertThat(cache.revisionLag()).isZero();
		}
	}

	@Test
	@Timeout(60)
	void keysShouldBeAsWrittenWithTheNamespaceStripped() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(cluster.endpoint()))).build();
				EtcdTemplate plain = new EtcdTemplate(transport);
				EtcdTemplate namespaced = new EtcdTemplate(transport, new EtcdValueConverter(),
						Namespace.of("/tenant/"), ReadConsistency.LINEARIZABLE)) {
			plain.put("/tenant/app/a", "1");
			plain.put("/other/app/a", "not ours");
			try (EtcdCache cache = namespaced.cache("app/")) {
				assertThat(cache.asMap()).containsOnlyKeys("app/a");
				TxnResult written = namespaced.txn().then(TxnOp.put("app/b", "2"), TxnOp.delete("app/a")).commit();
				assertThat(cache.awaitRevision(written.revision(), Duration.ofSeconds(10))).isTrue();
				assertThat(cache.asMap()).containsOnlyKeys("app/b");
				assertThat(cache.get("app/b").valueAsString()).isEqualTo("2");
				assertThat(cache.get("/tenant/app/b")).isNull();
				assertThatExceptionOfType(UnsupportedOperationException.class)
					.isThrownBy(() -> cache.asMap().remove("app/b"));
			}
		}
	}

	private static boolean replayedEquals(Map<String, KeyValue> replayed, Map<String, KeyValue> server) {
		synchronized (replayed) {
			return replayed.equals(server);
		}
	}

	private static String mismatch(Map<String, KeyValue> map) {
		KeyValue a = map.get("pair/a");
		KeyValue b = map.get("pair/b");
		if ((a == null) != (b == null)) {
			return "a=" + a + ", b=" + b;
		}
		if (a != null && !Objects.equals(a.valueAsString(), b.valueAsString())) {
			return "a=" + a.valueAsString() + ", b=" + b.valueAsString();
		}
		return null;
	}

	private static TxnResult writeWithRetries(EtcdTemplate writer, TxnOp op) {
		EtcdException last = null;
		for (int attempt = 0; attempt < 50; attempt++) {
			try {
				return writer.txn().then(op).commit();
			}
			catch (EtcdException ex) {
				// A put or delete may be repeated safely: the last one wins either way.
				last = ex;
				sleep(100);
			}
		}
		throw last;
	}

	private static void awaitCount(AtomicInteger count, int target) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (count.get() < target && System.nanoTime() < deadline) {
			sleep(10);
		}
		assertThat(count.get()).isGreaterThanOrEqualTo(target);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
