package org.etcdspring.core.transport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.etcdspring.EtcdOperations;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdLeaseNotFoundException;
import org.etcdspring.core.EtcdRequestTooLargeException;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.ReadConsistency;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Batching of concurrent operations into transactions, against a real etcd process: every
 * caller gets its own result or error, keys never collide in a batch, limits hold, and a
 * lone caller's calls go out as they are.
 */
class OperationBatchingIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void loneCallerShouldSendPlainCalls() {
		try (EtcdTransport transport = transport(etcd.endpoint());
				EtcdTemplate template = new EtcdTemplate(transport)) {
			for (int i = 0; i < 50; i++) {
				template.put("lone/" + i, i);
				assertThat(template.get("lone/" + i, Integer.class)).isEqualTo(i);
			}
			assertThat(transport.batchCount()).isZero();
		}
	}

	@Test
	void concurrentCallersShouldBeBatchedAndEachGetItsOwnResult() throws Exception {
		try (EtcdTransport transport = transport(etcd.endpoint());
				EtcdTemplate template = new EtcdTemplate(transport)) {
			runConcurrently(32, (thread) -> {
				for (int i = 0; i < 60; i++) {
					String key = "batched/" + thread + "/" + i;
					template.put(key, thread * 1000 + i);
					assertThat(template.get(key, Integer.class)).isEqualTo(thread * 1000 + i);
					if (i % 3 == 0) {
						assertThat(template.delete(key)).isTrue();
						assertThat(template.delete(key)).isFalse();
					}
					assertThat(template.getPrefix("batched/" + thread + "/")).hasSize(i + 1 - (i / 3 + 1));
				}
				return null;
			});
			assertThat(transport.batchCount()).isPositive();
			assertThat(transport.batchedOperationCount()).isGreaterThan(transport.batchCount());
		}
	}

	@Test
	void serializableReadsShouldBeBatchedToo() throws Exception {
		try (EtcdTransport transport = transport(etcd.endpoint());
				EtcdTemplate template = new EtcdTemplate(transport)) {
			for (int i = 0; i < 32; i++) {
				template.put("serializable/" + i, i);
			}
			EtcdOperations serializable = template.withConsistency(ReadConsistency.SERIALIZABLE);
			long before = transport.batchCount();
			runConcurrently(32, (thread) -> {
				for (int i = 0; i < 50; i++) {
					assertThat(serializable.get("serializable/" + thread, Integer.class)).isEqualTo(thread);
				}
				return null;
			});
			assertThat(transport.batchCount()).isGreaterThan(before);
		}
	}

	@Test
	void concurrentTransactionsShouldBeBatchedAsNestedOnesWithTheirOwnOutcome() throws Exception {
		try (EtcdTransport transport = transport(etcd.endpoint());
				EtcdTemplate template = new EtcdTemplate(transport)) {
			for (int thread = 0; thread < 16; thread++) {
				template.put("nested/" + thread, 0);
			}
			long before = transport.batchCount();
			List<Object> swapsPerThread = runConcurrently(16, (thread) -> {
				String key = "nested/" + thread;
				int swaps = 0;
				for (int i = 0; i < 40; i++) {
					KeyValue current = template.getEntry(key);
					// Every other compare is stale on purpose: its own transaction must
					// fail, alone.
					long revision = (i % 2 == 0) ? current.modRevision() : current.modRevision() - 1;
					if (template.compareAndSetRevision(key, revision, i)) {
						swaps++;
					}
				}
				return swaps;
			});
			assertThat(swapsPerThread).containsOnly(20);
			for (int thread = 0; thread < 16; thread++) {
				assertThat(template.getEntry("nested/" + thread).version()).isEqualTo(21);
			}
			assertThat(transport.batchCount()).isGreaterThan(before);
		}
	}

	@Test
	void writesToOneKeyShouldNeverShareABatch() throws Exception {
		try (EtcdTransport transport = transport(etcd.endpoint());
				EtcdTemplate template = new EtcdTemplate(transport)) {
			runConcurrently(16, (thread) -> {
				for (int i = 0; i < 50; i++) {
					template.put("same/key", thread + ":" + i);
					template.put("same/other-" + thread, i);
				}
				return null;
			});
			// Every one of the 800 puts applied exactly once, none refused as a duplicate
			// key.
			assertThat(template.getEntry("same/key").version()).isEqualTo(800);
			assertThat(transport.batchCount()).isPositive();
		}
	}

	@Test
	void batchesShouldRespectTheServersOperationLimit() throws Exception {
		try (EtcdLocalCluster limited = EtcdLocalCluster.builder().extraArgs(List.of("--max-txn-ops", "4")).start();
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(limited.endpoint())))
					.maxBatchOperations(4)
					.build();
				EtcdTemplate template = new EtcdTemplate(transport)) {
			runConcurrently(16, (thread) -> {
				for (int i = 0; i < 40; i++) {
					template.put("limited/" + thread + "/" + i, i);
				}
				return null;
			});
			assertThat(template.getPrefix("limited/")).hasSize(640);
			assertThat(transport.batchCount()).isPositive();
			assertThat(transport.batchedOperationCount()).isLessThanOrEqualTo(4 * transport.batchCount());
		}
	}

	@Test
	void largeValuesShouldBeSplitByRequestSizeAndATooLargeOneShouldFailAlone() throws Exception {
		try (EtcdTransport transport = transport(etcd.endpoint());
				EtcdTemplate template = new EtcdTemplate(transport)) {
			byte[] big = new byte[400 * 1024];
			byte[] tooBig = new byte[1600 * 1024];
			List<Object> outcomes = runConcurrently(8, (thread) -> {
				try {
					template.put("sized/" + thread, (thread == 3) ? tooBig : big);
					return "ok";
				}
				catch (EtcdRequestTooLargeException ex) {
					return ex;
				}
			});
			assertThat(outcomes.get(3)).isInstanceOf(EtcdRequestTooLargeException.class).asString().contains("sized/3");
			outcomes.remove(3);
			assertThat(outcomes).containsOnly("ok");
			assertThat(template.getPrefix("sized/")).hasSize(7);
			assertThat(template.get("sized/3")).isNull();
		}
	}

	@Test
	void anOperationThatFailsTheBatchShouldFailOnlyItsOwnCaller() throws Exception {
		try (EtcdTransport transport = transport(etcd.endpoint())) {
			long missingLease = 0x1234_5678L;
			List<Object> outcomes = runConcurrently(16, (thread) -> {
				Kv.PutRequest put = Kv.PutRequest.of(bytes("own-error/" + thread), bytes("v"),
						(thread % 4 == 0) ? missingLease : 0);
				try {
					transport.call(EtcdRpc.PUT, put, "own-error/" + thread);
					return "ok";
				}
				catch (EtcdLeaseNotFoundException ex) {
					return ex;
				}
			});
			for (int thread = 0; thread < 16; thread++) {
				if (thread % 4 == 0) {
					assertThat(outcomes.get(thread)).isInstanceOf(EtcdLeaseNotFoundException.class);
				}
				else {
					assertThat(outcomes.get(thread)).isEqualTo("ok");
				}
			}
			// The failing puts travelled in batches with the others: the per-operation
			// fallback answered them.
			assertThat(transport.batchCount()).isPositive();
			try (EtcdTemplate template = new EtcdTemplate(transport)) {
				assertThat(template.getPrefix("own-error/")).extracting(KeyValue::key).hasSize(12);
			}
		}
	}

	@Test
	void batchingCanBeTurnedOff() throws Exception {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint())))
			.batching(false)
			.build(); EtcdTemplate template = new EtcdTemplate(transport)) {
			runConcurrently(8, (thread) -> {
				for (int i = 0; i < 20; i++) {
					template.put("unbatched/" + thread + "/" + i, i);
				}
				return null;
			});
			assertThat(transport.batchCount()).isZero();
			assertThat(template.getPrefix("unbatched/")).hasSize(160);
		}
	}

	private static EtcdTransport transport(String endpoint) {
		return EtcdTransport.builder(List.of(URI.create(endpoint))).build();
	}

	private static List<Object> runConcurrently(int threads, ThreadTask task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<Object>> futures = new ArrayList<>();
			for (int thread = 0; thread < threads; thread++) {
				int id = thread;
				futures.add(executor.submit((Callable<Object>) () -> {
					start.await();
					return task.run(id);
				}));
			}
			start.countDown();
			List<Object> results = new ArrayList<>();
			for (Future<Object> future : futures) {
				results.add(future.get(120, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@FunctionalInterface
	interface ThreadTask {

		Object run(int thread) throws Exception;

	}

}
