package org.etcdspring.core.transport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.PrintableKey;

import org.springframework.util.Assert;

/**
 * Coalesces operations that are waiting at the same moment (reads, puts, deletes, and
 * transactions as nested ones) into one {@code /v3/kv/txn}, so one HTTP round trip and
 * one gateway hop serve many callers.
 *
 * <p>
 * A caller that finds fewer than {@code maxInFlight} batches in flight and nobody queued
 * sends its operation right away, as the plain call it is, on its own thread: a lone
 * caller is never delayed. Callers that arrive while every slot is busy queue up; queued
 * operations are sent together, as one transaction, by the transport's batch threads,
 * never by another caller's thread, so that one caller's interrupt ends no one else's
 * exchange. Each caller waits for its own operation only until its own deadline, and an
 * interrupt ends only its own wait.
 *
 * <p>
 * A batch holds operations on independent keys only (no write overlaps another operation
 * of the batch), at most {@code maxOperations} of them (etcd's {@code --max-txn-ops}, 128
 * by default) and about {@code maxBytes} of keys and values (below etcd's request size
 * limit). The transaction has no conditions, so it applies every operation in one
 * revision that lies within each caller's call: the operations stay linearizable.
 *
 * <p>
 * A batch is one attempt for each operation in it. When it fails as a whole, each
 * operation gets the failure it would have got alone (a read may go on to the next
 * endpoint, a write that may have been applied has an unknown outcome), and its caller
 * decides, on its own thread, whether to try again. Only an error that belongs to one
 * operation (permission denied, lease not found, too large, too many operations) splits
 * the batch: each caller then sends its operation alone.
 *
 * @author etcd-spring
 */
final class OperationBatcher {

	/**
	 * Bytes a request carries besides keys and values, estimated per operation.
	 */
	private static final int OVERHEAD_PER_OPERATION = 64;

	private static final long MAX_PARK_NANOS = 50_000_000;

	private final Sender sender;

	private final Executor batchThreads;

	private final int maxOperations;

	private final long maxBytes;

	private final int maxInFlight;

	private final Queue<Pending<?>> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicLong batches = new AtomicLong();

	private final AtomicLong batchedOperations = new AtomicLong();

	OperationBatcher(Sender sender, Executor batchThreads, int maxOperations, long maxBytes, int maxInFlight) {
		this.sender = sender;
		this.batchThreads = batchThreads;
		this.maxOperations = maxOperations;
		this.maxBytes = maxBytes;
		this.maxInFlight = maxInFlight;
	}

	/**
	 * Whether a call can join a batch: a single-key or range operation of the key/value
	 * API on the current revision. A batch of serializable reads only is answered by the
	 * member locally, as each read alone would be; a serializable read in a batch with
	 * other operations is answered linearizably, which is stronger than it asked for.
	 */
	static boolean isBatchable(EtcdRpc<?, ?> rpc, @Nullable Object request) {
		if (rpc == EtcdRpc.PUT || rpc == EtcdRpc.DELETE_RANGE) {
			return true;
		}
		if (rpc == EtcdRpc.TXN || rpc == EtcdRpc.READ_ONLY_TXN) {
			// A transaction joins as a nested one: its conditions are evaluated on their
			// own.
			return request instanceof Kv.TxnRequest txn && txn.success().stream().allMatch(OperationBatcher::isFlat)
					&& txn.failure().stream().allMatch(OperationBatcher::isFlat);
		}
		return rpc == EtcdRpc.RANGE && request instanceof Kv.RangeRequest range && range.revision() == 0;
	}

	private static boolean isFlat(Kv.RequestOp op) {
		return op.requestTxn() == null;
	}

	/**
	 * One attempt of one operation, alone or in a batch, ending by the given deadline.
	 * @throws EtcdTransport.FailedAttempt when the attempt failed; the caller decides
	 * whether to try again
	 * @throws SendAlone when the batch failed for one of its operations, so each must be
	 * sent alone
	 * @throws EtcdException when the deadline passed or the caller was interrupted
	 */
	<R> R submit(EtcdRpc<?, R> rpc, Object request, @Nullable String key, long deadline) {
		Pending<R> pending = new Pending<>(rpc, request, key, Thread.currentThread(), deadline);
		this.queue.add(pending);
		while (!pending.isDone()) {
			if (!pending.isTaken() && tryAcquireSlot()) {
				List<Pending<?>> batch = takeBatch();
				if (batch.size() == 1 && batch.get(0) == pending) {
					// Nobody to take along: a plain call, on the caller's thread.
					try {
						return this.sender.attempt(rpc, request, key, deadline);
					}
					finally {
						releaseSlot();
					}
				}
				sendOnBatchThread(batch);
				continue;
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				throw timedOut(pending);
			}
			// Woken when the operation completes; the bound only guards liveness.
			LockSupport.parkNanos(this, Math.min(remaining, MAX_PARK_NANOS));
			if (Thread.interrupted()) {
				if (pending.isDone()) {
					Thread.currentThread().interrupt();
					break;
				}
				throw interrupted(pending);
			}
		}
		return pending.result();
	}

	private boolean tryAcquireSlot() {
		int current = this.inFlight.get();
		while (current < this.maxInFlight) {
			if (this.inFlight.compareAndSet(current, current + 1)) {
				return true;
			}
			current = this.inFlight.get();
		}
		return false;
	}

	/**
	 * A slot is free: if operations are queued, a batch thread takes it to send them.
	 */
	private void releaseSlot() {
		this.inFlight.decrementAndGet();
		if (!this.queue.isEmpty() && tryAcquireSlot()) {
			sendOnBatchThread(takeBatch());
		}
	}

	/**
	 * Send a batch on a batch thread, which holds the slot and goes on with whatever is
	 * queued meanwhile. When no batch thread takes it (the transport is closed, or
	 * starting a thread failed, with an {@link Error} say), its operations fail as not
	 * sent, with that cause, and the slot is free again: every caller in it learns what
	 * happened, and the callers queued behind it are not stuck.
	 */
	private void sendOnBatchThread(List<Pending<?>> batch) {
		if (batch.isEmpty()) {
			releaseSlot();
			return;
		}
		HandOver handOver = new HandOver(batch);
		try {
			this.batchThreads.execute(handOver);
		}
		catch (Throwable ex) {
			// An executor that failed may still have queued the task: it sends nothing
			// once the operations are failed here.
			if (handOver.cancel()) {
				this.inFlight.decrementAndGet();
				for (Pending<?> pending : batch) {
					pending.fail(EtcdBatchFailures.notSent(pending.rpc.operation(), pending.key, ex));
				}
			}
		}
	}

	/**
	 * A batch handed to a batch thread, which either sends it or is cancelled first.
	 */
	private final class HandOver implements Runnable {

		private final List<Pending<?>> batch;

		private final AtomicBoolean claimed = new AtomicBoolean();

		HandOver(List<Pending<?>> batch) {
			this.batch = batch;
		}

		@Override
		public void run() {
			if (this.claimed.compareAndSet(false, true)) {
				sendWhileQueued(this.batch);
			}
		}

		boolean cancel() {
			return this.claimed.compareAndSet(false, true);
		}

	}

	private void sendWhileQueued(List<Pending<?>> first) {
		try {
			List<Pending<?>> batch = first;
			while (!batch.isEmpty()) {
				send(batch);
				batch = takeBatch();
			}
		}
		finally {
			releaseSlot();
		}
	}

	private EtcdException timedOut(Pending<?> pending) {
		return EtcdBatchFailures.timedOut(pending.rpc.operation(), pending.key, pending.isWrite(),
				!this.queue.remove(pending));
	}

	/**
	 * The caller was interrupted while it waited: it alone stops waiting, and keeps its
	 * interrupt.
	 */
	private EtcdException interrupted(Pending<?> pending) {
		Thread.currentThread().interrupt();
		return EtcdBatchFailures.interrupted(pending.rpc.operation(), pending.key, pending.isWrite(),
				!this.queue.remove(pending));
	}

	/**
	 * Take queued operations in order, skipping (and leaving queued, in order) those that
	 * conflict with one already taken, up to the size limits.
	 */
	private List<Pending<?>> takeBatch() {
		List<Pending<?>> batch = new ArrayList<>();
		long bytes = 0;
		int largestNested = 0;
		Iterator<Pending<?>> queued = this.queue.iterator();
		List<Pending<?>> skipped = new ArrayList<>();
		while (queued.hasNext() && batch.size() < this.maxOperations) {
			Pending<?> candidate = queued.next();
			long size = candidate.estimatedBytes();
			if (!batch.isEmpty() && bytes + size > this.maxBytes) {
				break;
			}
			// etcd lets a nested transaction have only the operations the outer one
			// leaves.
			int nested = Math.max(largestNested, candidate.nestedOperations());
			if (!batch.isEmpty() && batch.size() + 1 + nested > this.maxOperations) {
				break;
			}
			if (conflicts(candidate, batch) || conflicts(candidate, skipped)) {
				// Later operations on the same keys must not overtake it.
				skipped.add(candidate);
				continue;
			}
			if (this.queue.remove(candidate)) {
				candidate.taken = true;
				batch.add(candidate);
				bytes += size;
				largestNested = nested;
			}
		}
		return batch;
	}

	private static boolean conflicts(Pending<?> candidate, List<Pending<?>> others) {
		for (Pending<?> other : others) {
			if ((candidate.isWrite() || other.isWrite()) && candidate.overlaps(other)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Send taken operations and complete every one of them, whatever happens.
	 */
	private void send(List<Pending<?>> batch) {
		try {
			if (batch.size() == 1) {
				batch.get(0).sendAlone(this.sender);
			}
			else {
				this.batches.incrementAndGet();
				this.batchedOperations.addAndGet(batch.size());
				sendTogether(batch);
			}
		}
		catch (Throwable ex) {
			// Not an answer of etcd (an Error, a bug): every caller learns of it, then it
			// goes on.
			batch.forEach((pending) -> pending.failUnexpectedly(ex));
			throw ex;
		}
		finally {
			EtcdException unanswered = null;
			for (Pending<?> pending : batch) {
				if (!pending.isDone()) {
					unanswered = (unanswered != null) ? unanswered
							: new EtcdException("etcd batch ended without an answer for its operations");
					pending.failUnexpectedly(unanswered);
				}
			}
		}
	}

	private void sendTogether(List<Pending<?>> batch) {
		List<Kv.RequestOp> ops = batch.stream().map(Pending::toRequestOp).toList();
		// A batch of reads is as safe to send again as each read.
		EtcdRpc<Kv.TxnRequest, Kv.TxnResponse> rpc = batch.stream().anyMatch(Pending::isWrite) ? EtcdRpc.TXN
				: EtcdRpc.READ_ONLY_TXN;
		long deadline = batch.stream().mapToLong((pending) -> pending.deadline).max().orElseThrow();
		Kv.TxnResponse response;
		try {
			response = this.sender.attempt(rpc, new Kv.TxnRequest(List.of(), ops, List.of()), describe(batch),
					deadline);
		}
		catch (EtcdTransport.FailedAttempt ex) {
			if (ex.belongsToOneOperation()) {
				// Nothing applied, but which operation was it? Each goes again alone.
				batch.forEach(Pending::splitOff);
			}
			else {
				// What each operation would have seen alone: its caller decides what
				// next.
				batch.forEach((pending) -> pending
					.fail(ex.restate(pending.rpc.operation(), pending.key, !pending.isWrite())));
			}
			return;
		}
		List<Kv.ResponseOp> results = response.responses();
		for (int i = 0; i < batch.size(); i++) {
			batch.get(i).complete(response.header(), (i < results.size()) ? results.get(i) : null);
		}
	}

	private static String describe(List<Pending<?>> batch) {
		return batch.size() + " batched operations, first '" + PrintableKey.of(batch.get(0).key) + "'";
	}

	long batchCount() {
		return this.batches.get();
	}

	long batchedOperationCount() {
		return this.batchedOperations.get();
	}

	/**
	 * How many operations wait to be taken into a batch.
	 */
	int queuedOperationCount() {
		return this.queue.size();
	}

	/**
	 * Sends one attempt of one call on the current endpoint (authentication included, no
	 * failover), ending by the given deadline.
	 */
	interface Sender {

		<R> R attempt(EtcdRpc<?, R> rpc, Object request, @Nullable String key, long deadline);

	}

	/**
	 * The batch failed for one of its operations: send this one alone.
	 */
	static final class SendAlone extends RuntimeException {

		private static final SendAlone INSTANCE = new SendAlone();

		private SendAlone() {
			super("send alone", null, false, false);
		}

	}

	/**
	 * One caller's operation, waiting for its result.
	 */
	private static final class Pending<R> {

		private static final byte[] NEXT_KEY_SUFFIX = { 0 };

		final EtcdRpc<?, R> rpc;

		final Object request;

		final @Nullable String key;

		final Thread thread;

		final long deadline;

		private volatile boolean done;

		volatile boolean taken;

		private @Nullable R result;

		private @Nullable RuntimeException failure;

		Pending(EtcdRpc<?, R> rpc, Object request, @Nullable String key, Thread thread, long deadline) {
			this.rpc = rpc;
			this.request = request;
			this.key = key;
			this.thread = thread;
			this.deadline = deadline;
		}

		boolean isWrite() {
			if (this.request instanceof Kv.TxnRequest txn) {
				return !txn.isReadOnly();
			}
			return this.rpc != EtcdRpc.RANGE;
		}

		boolean isDone() {
			return this.done;
		}

		boolean isTaken() {
			return this.taken;
		}

		R result() {
			if (this.failure != null) {
				throw this.failure;
			}
			Assert.state(this.result != null, "The operation has no result yet");
			return this.result;
		}

		/**
		 * The operations a nested transaction counts against etcd's limit, 0 for others.
		 */
		int nestedOperations() {
			if (this.request instanceof Kv.TxnRequest txn) {
				return Math.max(txn.compare().size(), Math.max(txn.success().size(), txn.failure().size()));
			}
			return 0;
		}

		long estimatedBytes() {
			if (this.request instanceof Kv.TxnRequest txn) {
				long bytes = OVERHEAD_PER_OPERATION;
				for (Kv.Compare compare : txn.compare()) {
					bytes += OVERHEAD_PER_OPERATION + compare.key().length
							+ ((compare.value() != null) ? compare.value().length : 0);
				}
				for (Kv.RequestOp op : txn.success()) {
					bytes += estimatedBytes(op);
				}
				for (Kv.RequestOp op : txn.failure()) {
					bytes += estimatedBytes(op);
				}
				return bytes;
			}
			return estimatedBytes(toRequestOp());
		}

		private static long estimatedBytes(Kv.RequestOp op) {
			if (op.requestPut() != null) {
				Kv.PutRequest put = op.requestPut();
				return OVERHEAD_PER_OPERATION + put.key().length + ((put.value() != null) ? put.value().length : 0);
			}
			List<byte[][]> ranges = new ArrayList<>();
			addRange(op, ranges);
			return OVERHEAD_PER_OPERATION + ranges.get(0)[0].length + ranges.get(0)[1].length;
		}

		/**
		 * The key ranges the operation touches, each as {start, exclusive end}; an end of
		 * "\0" means "to the end of the key space".
		 */
		private List<byte[][]> ranges() {
			List<byte[][]> ranges = new ArrayList<>();
			if (this.request instanceof Kv.TxnRequest txn) {
				for (Kv.Compare compare : txn.compare()) {
					ranges.add(new byte[][] { compare.key(), end(compare.key(), compare.rangeEnd()) });
				}
				txn.success().forEach((op) -> addRange(op, ranges));
				txn.failure().forEach((op) -> addRange(op, ranges));
			}
			else {
				addRange(toRequestOp(), ranges);
			}
			return ranges;
		}

		private static void addRange(Kv.RequestOp op, List<byte[][]> ranges) {
			if (op.requestPut() != null) {
				ranges.add(new byte[][] { op.requestPut().key(), end(op.requestPut().key(), null) });
			}
			else if (op.requestDeleteRange() != null) {
				Kv.DeleteRangeRequest delete = op.requestDeleteRange();
				ranges.add(new byte[][] { delete.key(), end(delete.key(), delete.rangeEnd()) });
			}
			else if (op.requestRange() != null) {
				Kv.RangeRequest range = op.requestRange();
				ranges.add(new byte[][] { range.key(), end(range.key(), range.rangeEnd()) });
			}
		}

		private static byte[] end(byte[] start, byte @Nullable [] rangeEnd) {
			if (rangeEnd != null && rangeEnd.length > 0) {
				return rangeEnd;
			}
			byte[] next = Arrays.copyOf(start, start.length + 1);
			next[start.length] = NEXT_KEY_SUFFIX[0];
			return next;
		}

		boolean overlaps(Pending<?> other) {
			for (byte[][] mine : ranges()) {
				for (byte[][] theirs : other.ranges()) {
					if (overlap(mine, theirs)) {
						return true;
					}
				}
			}
			return false;
		}

		private static boolean overlap(byte[][] a, byte[][] b) {
			boolean aOpen = a[1].length == 1 && a[1][0] == 0;
			boolean bOpen = b[1].length == 1 && b[1][0] == 0;
			return (aOpen || Arrays.compareUnsigned(b[0], a[1]) < 0)
					&& (bOpen || Arrays.compareUnsigned(a[0], b[1]) < 0);
		}

		Kv.RequestOp toRequestOp() {
			if (this.request instanceof Kv.TxnRequest txn) {
				return Kv.RequestOp.txn(txn);
			}
			if (this.request instanceof Kv.PutRequest put) {
				return Kv.RequestOp.put(put);
			}
			if (this.request instanceof Kv.DeleteRangeRequest delete) {
				return Kv.RequestOp.deleteRange(delete);
			}
			return Kv.RequestOp.range((Kv.RangeRequest) this.request);
		}

		@SuppressWarnings("unchecked")
		void complete(Kv.ResponseHeader header, Kv.@Nullable ResponseOp response) {
			Object result;
			if (response == null) {
				fail(new EtcdException("etcd answered a batched transaction without a result for '"
						+ PrintableKey.of(this.key) + "'"));
				return;
			}
			if (this.rpc == EtcdRpc.PUT && response.responsePut() != null) {
				result = new Kv.PutResponse(header, response.responsePut().prevKv());
			}
			else if (this.rpc == EtcdRpc.DELETE_RANGE && response.responseDeleteRange() != null) {
				Kv.DeleteRangeResponse delete = response.responseDeleteRange();
				result = new Kv.DeleteRangeResponse(header, delete.deleted(), delete.prevKvs());
			}
			else if (this.request instanceof Kv.TxnRequest && response.responseTxn() != null) {
				Kv.TxnResponse txn = response.responseTxn();
				result = new Kv.TxnResponse(header, txn.succeeded(), txn.responses());
			}
			else if (this.rpc == EtcdRpc.RANGE && response.responseRange() != null) {
				Kv.RangeResponse range = response.responseRange();
				result = new Kv.RangeResponse(header, range.kvs(), range.more(), range.count());
			}
			else {
				fail(new EtcdException("etcd answered a batched transaction with a result of another kind for '"
						+ PrintableKey.of(this.key) + "'"));
				return;
			}
			this.result = (R) result;
			finish();
		}

		void sendAlone(Sender sender) {
			try {
				this.result = sender.attempt(this.rpc, this.request, this.key, this.deadline);
			}
			catch (RuntimeException ex) {
				this.failure = ex;
			}
			finish();
		}

		void fail(RuntimeException failure) {
			this.failure = failure;
			finish();
		}

		void splitOff() {
			fail(SendAlone.INSTANCE);
		}

		/**
		 * The batch failed otherwise than by an answer of etcd: a write may have been
		 * applied.
		 */
		void failUnexpectedly(Throwable cause) {
			if (!this.done) {
				fail(EtcdBatchFailures.failed(this.rpc.operation(), this.key, isWrite(), cause));
			}
		}

		private void finish() {
			this.done = true;
			LockSupport.unpark(this.thread);
		}

	}

}
