package org.etcdspring.core.transport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdOutcomeUnknownException;
import org.etcdspring.test.EtcdServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch that fails otherwise than by an answer of etcd (here an {@link Error} thrown
 * while it is sent to a real etcd) still answers every caller in it, and the batcher goes
 * on serving later calls.
 */
class BatchFailureIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void anErrorInsideABatchShouldStillAnswerEveryCallerInIt() throws Exception {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint())))
			.batching(false)
			.build()) {
			AtomicInteger batchesSent = new AtomicInteger();
			CountDownLatch holding = new CountDownLatch(1);
			AtomicReference<@Nullable OperationBatcher> batcherRef = new AtomicReference<>();
			OperationBatcher.Sender sender = new OperationBatcher.Sender() {

				@Override
				@SuppressWarnings("unchecked")
				public <R> R attempt(EtcdRpc<?, R> rpc, Object request, @Nullable String key, long deadline) {
					if (request instanceof Kv.TxnRequest txn && txn.success().size() > 1) {
						batchesSent.incrementAndGet();
						throw new StackOverflowError("injected into a batch");
					}
					if ("first".equals(key)) {
						// Holds the only slot until the others are queued, so that they
						// go out together.
						holding.countDown();
						awaitQueued(batcherRef.get(), 8);
					}
					return transport.call((EtcdRpc<Object, R>) rpc, request, key);
				}

			};
			ExecutorService batchThreads = Executors.newCachedThreadPool();
			ExecutorService callers = Executors.newFixedThreadPool(9);
			try {
				OperationBatcher batcher = new OperationBatcher(sender, batchThreads, 128, 1024 * 1024, 1);
				batcherRef.set(batcher);
				long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
				Future<?> first = callers.submit(() -> batcher.submit(EtcdRpc.PUT, put("first"), "first", deadline));
				assertThat(holding.await(10, TimeUnit.SECONDS)).as("the first call holds the only slot").isTrue();
				List<Future<Object>> others = new ArrayList<>();
				for (int i = 0; i < 8; i++) {
					String key = "in-batch/" + i;
					boolean write = i % 2 == 0;
					others.add(callers.submit(() -> {
						Object outcome;
						try {
							outcome = write ? batcher.submit(EtcdRpc.PUT, put(key), key, deadline) : batcher
								.submit(EtcdRpc.RANGE, Kv.RangeRequest.of(bytes(key), null, false), key, deadline);
						}
						catch (EtcdException ex) {
							outcome = ex;
						}
						return outcome;
					}));
				}
				assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(Kv.PutResponse.class);
				for (Future<Object> other : others) {
					// An answer, not a caller parked forever.
					Object outcome = other.get(10, TimeUnit.SECONDS);
					assertThat(outcome).isInstanceOf(EtcdException.class);
					assertThat(((EtcdException) outcome).getCause()).isInstanceOf(StackOverflowError.class);
				}
				assertThat(others.get(0).get()).isInstanceOf(EtcdOutcomeUnknownException.class);
				assertThat(batchesSent.get()).isEqualTo(1);
				// The slot came back: a later call gets through.
				assertThat(callers.submit(() -> batcher.submit(EtcdRpc.PUT, put("after"), "after", deadline))
					.get(10, TimeUnit.SECONDS)).isInstanceOf(Kv.PutResponse.class);
			}
			finally {
				callers.shutdownNow();
				batchThreads.shutdownNow();
			}
		}
	}

	private static Kv.PutRequest put(String key) {
		return Kv.PutRequest.of(bytes(key), bytes("v"), 0);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static void awaitQueued(@Nullable OperationBatcher batcher, int operations) {
		long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (batcher != null && batcher.queuedOperationCount() < operations && System.nanoTime() < end) {
			LockSupport.parkNanos(1_000_000);
		}
	}

}
