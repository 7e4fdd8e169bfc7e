package org.etcdspring.core.transport;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each caller of a batch is told when the batch fails as a whole, or when no thread
 * can be had to send it: the batcher's own logic, with a {@link OperationBatcher.Sender}
 * that fails as the transport does (the end-to-end behaviour against real etcd is in
 * {@code CallDeadlineFaultTests} and {@link BatchFailureIntegrationTests}).
 */
class OperationBatcherFailureTests {

	private static final URI ENDPOINT = URI.create("http://127.0.0.1:2379");

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private final ExecutorService callers = Executors.newCachedThreadPool();

	private final ExecutorService batchThreads = Executors.newCachedThreadPool();

	@AfterEach
	void stopThreads() {
		this.callers.shutdownNow();
		this.batchThreads.shutdownNow();
	}

	@Test
	void aBatchWithoutAnAnswerInTimeShouldFailEachOperationAsItWouldHaveFailedAlone() throws Exception {
		Queue<Object> sent = new ConcurrentLinkedQueue<>();
		HoldingSender sender = new HoldingSender(2) {

			@Override
			RuntimeException failure(EtcdRpc<?, ?> rpc, Object request, @Nullable String key) {
				sent.add(request);
				return EtcdTransport.FailedAttempt.of(new HttpTimeoutException("request timed out"), rpc.operation(),
						key, ENDPOINT, rpc.idempotent(), TIMEOUT);
			}

		};
		OperationBatcher batcher = new OperationBatcher(sender, this.batchThreads, 128, 1024 * 1024, 1);
		sender.batcher = batcher;
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		Future<Object> first = submit(batcher, EtcdRpc.RANGE, range("first"), "first", deadline);
		assertThat(sender.holding.await(10, TimeUnit.SECONDS)).as("the first call holds the only slot").isTrue();
		Future<Object> write = submit(batcher, EtcdRpc.PUT, put("write"), "write", deadline);
		Future<Object> read = submit(batcher, EtcdRpc.RANGE, range("read"), "read", deadline);
		assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(EtcdTransport.FailedAttempt.class);
		EtcdTransport.FailedAttempt writeFailure = (EtcdTransport.FailedAttempt) write.get(10, TimeUnit.SECONDS);
		EtcdTransport.FailedAttempt readFailure = (EtcdTransport.FailedAttempt) read.get(10, TimeUnit.SECONDS);
		// The write and the read went out together, as one transaction.
		assertThat(sent).hasSize(2);
		assertThat(sent).last()
			.isInstanceOfSatisfying(Kv.TxnRequest.class, (txn) -> assertThat(txn.success()).hasSize(2));
		assertThat(batcher.batchCount()).isOne();
		// The write may have been applied: it must not be sent again.
		assertThat(writeFailure.retryable).isFalse();
		assertThat(writeFailure.failure).isExactlyInstanceOf(EtcdTimeoutException.class)
			.hasMessageContaining("put of key 'write'")
			.hasMessageContaining("the write may have been applied");
		// The read may go on to the next endpoint, on its caller's thread.
		assertThat(readFailure.retryable).isTrue();
		assertThat(readFailure.failure).isExactlyInstanceOf(EtcdTimeoutException.class)
			.hasMessageContaining("range of key 'read'")
			.hasMessageNotContaining("may have been applied");
	}

	@Test
	void aBatchThatNoThreadTakesShouldFailAsNotSentAndFreeItsSlot() throws Exception {
		HoldingSender sender = new HoldingSender(2) {

			@Override
			RuntimeException failure(EtcdRpc<?, ?> rpc, Object request, @Nullable String key) {
				return EtcdTransport.FailedAttempt.of(new ConnectException("Connection refused"), rpc.operation(), key,
						ENDPOINT, rpc.idempotent(), TIMEOUT);
			}

		};
		OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread (injected)");
		Executor failingThreads = (task) -> {
			throw noThread;
		};
		OperationBatcher batcher = new OperationBatcher(sender, failingThreads, 128, 1024 * 1024, 1);
		sender.batcher = batcher;
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		Future<Object> first = submit(batcher, EtcdRpc.PUT, put("first"), "first", deadline);
		assertThat(sender.holding.await(10, TimeUnit.SECONDS)).as("the first call holds the only slot").isTrue();
		List<Future<Object>> queued = List.of(submit(batcher, EtcdRpc.PUT, put("a"), "a", deadline),
				submit(batcher, EtcdRpc.RANGE, range("b"), "b", deadline));
		// The caller whose slot was handed over gets its own answer, not the Error.
		assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(EtcdTransport.FailedAttempt.class);
		for (Future<Object> call : queued) {
			// An answer well before the callers' deadline: nobody is left parked.
			Object outcome = call.get(10, TimeUnit.SECONDS);
			assertThat(outcome).isExactlyInstanceOf(EtcdException.class);
			assertThat((Throwable) outcome).hasMessageContaining("it was not sent").hasCauseReference(noThread);
		}
		// The slot is free again: a lone call goes out at once, on its caller's thread.
		assertThat(submit(batcher, EtcdRpc.PUT, put("after"), "after", System.nanoTime() + TIMEOUT.toNanos()).get(10,
				TimeUnit.SECONDS))
			.isInstanceOf(EtcdTransport.FailedAttempt.class);
		assertThat(sender.attempts).containsExactly("first", "after");
	}

	private Future<Object> submit(OperationBatcher batcher, EtcdRpc<?, ?> rpc, Object request, String key,
			long deadline) {
		return this.callers.submit(() -> {
			try {
				return batcher.submit(rpc, request, key, deadline);
			}
			catch (RuntimeException ex) {
				return ex;
			}
		});
	}

	private static Kv.PutRequest put(String key) {
		return Kv.PutRequest.of(bytes(key), bytes("v"), 0);
	}

	private static Kv.RangeRequest range(String key) {
		return Kv.RangeRequest.of(bytes(key), null, false);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Fails every attempt; the one for key "first" holds the batcher's only slot until
	 * the given number of operations is queued behind it, so that they go out together.
	 */
	private abstract static class HoldingSender implements OperationBatcher.Sender {

		final CountDownLatch holding = new CountDownLatch(1);

		final Queue<String> attempts = new ConcurrentLinkedQueue<>();

		private final int queued;

		volatile @Nullable OperationBatcher batcher;

		HoldingSender(int queued) {
			this.queued = queued;
		}

		@Override
		public <R> R attempt(EtcdRpc<?, R> rpc, Object request, @Nullable String key, long deadline) {
			this.attempts.add(String.valueOf(key));
			if ("first".equals(key)) {
				this.holding.countDown();
				long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				OperationBatcher batcher = this.batcher;
				while (batcher != null && batcher.queuedOperationCount() < this.queued && System.nanoTime() < end) {
					LockSupport.parkNanos(1_000_000);
				}
			}
			throw failure(rpc, request, key);
		}

		abstract RuntimeException failure(EtcdRpc<?, ?> rpc, Object request, @Nullable String key);

	}

}
