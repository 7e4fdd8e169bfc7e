package org.etcdspring.core.transport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdOutcomeUnknownException;
import org.etcdspring.core.EtcdTimeoutException;
import org.etcdspring.core.PrintableKey;

/**
 * Coalesces operations that are waiting at the same moment (reads, puts, deletes, and
 * transactions as nested ones) into one {@code /v3/kv/txn}, so one HTTP round trip and
 * one gateway hop serve many callers.
 *
 * <p>
 * A caller that finds fewer than {@code maxInFlight} batches in flight sends right away,
 * taking along whatever other callers queued meanwhile: a lone caller is never delayed,
 * and its operation goes out as the plain call it is. Callers that arrive while every
 * slot is busy queue up; when a batch completes, the next queued caller sends the queue
 * as one transaction.
 *
 * <p>
 * A batch holds operations on independent keys only (no write overlaps another operation
 * of the batch), at most {@code maxOperations} of them (etcd's {@code --max-txn-ops}, 128
 * by default) and about {@code maxBytes} of keys and values (below etcd's request size
 * limit). The transaction has no conditions, so it applies every operation in one
 * revision that lies within each caller's call: the operations stay linearizable. When
 * the transaction fails with an answer of the server (it did not apply), each operation
 * is sent again on its own, so each caller gets its own result or its own error; when its
 * outcome is unknown, reads are sent again and writes report the unknown outcome.
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

	private final int maxOperations;

	private final long maxBytes;

	private final int maxInFlight;

	private final Queue<Pending<?>> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicLong batches = new AtomicLong();

	private final AtomicLong batchedOperations = new AtomicLong();

	OperationBatcher(Sender sender, int maxOperations, long maxBytes, int maxInFlight) {
		this.sender = sender;
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
			// A transaction joins as a nested one: its conditions are evaluated on their own.
			return request instanceof Kv.TxnRequest txn && txn.success().stream().allMatch(OperationBatcher::isFlat)
					&& txn.failure().stream().allMatch(OperationBatcher::isFlat);
		}
		return rpc == EtcdRpc.RANGE && request instanceof Kv.RangeRequest range && range.revision() == 0;
	}

	private static boolean isFlat(Kv.RequestOp op) {
		return op.requestTxn() == null;
	}

	<R> R submit(EtcdRpc<?, R> rpc, Object request, @Nullable String key) {
		Pending<R> pending = new Pending<>(rpc, request, key, Thread.currentThread());
		this.queue.add(pending);
		boolean interrupted = false;
		while (!pending.isDone()) {
			if (!pending.isTaken() && tryAcquireSlot()) {
				try {
					sendQueued();
				}
				finally {
					this.inFlight.decrementAndGet();
				}
				wakeNextSender();
			}
			else {
				// Woken when a slot frees up or the operation completes; the bound only guards liveness.
				LockSupport.parkNanos(this, MAX_PARK_NANOS);
				if (Thread.interrupted()) {
					interrupted = true;
					if (this.queue.remove(pending)) {
						Thread.currentThread().interrupt();
						throw new EtcdException("Interrupted while waiting to send etcd " + rpc.operation() + " of '"
								+ PrintableKey.of(key) + "'; it was not sent");
					}
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
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
	 * A slot is free: let the oldest queued caller take it.
	 */
	private void wakeNextSender() {
		Pending<?> next = this.queue.peek();
		if (next != null) {
			LockSupport.unpark(next.thread);
		}
	}

	private void sendQueued() {
		List<Pending<?>> batch = takeBatch();
		if (batch.isEmpty()) {
			return;
		}
		if (batch.size() == 1) {
			batch.get(0).sendAlone(this.sender);
			return;
		}
		this.batches.incrementAndGet();
		this.batchedOperations.addAndGet(batch.size());
		sendTogether(batch);
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
			// etcd lets a nested transaction have only the operations the outer one leaves.
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

	private void sendTogether(List<Pending<?>> batch) {
		List<Kv.RequestOp> ops = batch.stream().map(Pending::toRequestOp).toList();
		Kv.TxnResponse response;
		try {
			// A batch of reads is as safe to send again as each read.
			EtcdRpc<Kv.TxnRequest, Kv.TxnResponse> rpc = batch.stream().anyMatch(Pending::isWrite) ? EtcdRpc.TXN
					: EtcdRpc.READ_ONLY_TXN;
			response = this.sender.send(rpc, new Kv.TxnRequest(List.of(), ops, List.of()), describe(batch));
		}
		catch (EtcdOutcomeUnknownException | EtcdTimeoutException ex) {
			// The transaction may have applied: reads can simply ask again, writes must not.
			for (Pending<?> pending : batch) {
				if (pending.isWrite()) {
					pending.fail(EtcdBatchFailures.outcomeUnknown(ex, pending.rpc.operation(), pending.key));
				}
				else {
					pending.sendAlone(this.sender);
				}
			}
			return;
		}
		catch (EtcdException ex) {
			// Refused as a whole, so nothing applied: each operation gets its own answer.
			batch.forEach((pending) -> pending.sendAlone(this.sender));
			return;
		}
		catch (RuntimeException ex) {
			batch.forEach((pending) -> pending.fail(ex));
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
	 * Sends one call (the transport's retry, failover and authentication included).
	 */
	interface Sender {

		<R> R send(EtcdRpc<?, R> rpc, Object request, @Nullable String key);

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

		private volatile boolean done;

		volatile boolean taken;

		private @Nullable R result;

		private @Nullable RuntimeException failure;

		Pending(EtcdRpc<?, R> rpc, Object request, @Nullable String key, Thread thread) {
			this.rpc = rpc;
			this.request = request;
			this.key = key;
			this.thread = thread;
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
			return (aOpen || Arrays.compareUnsigned(b[0], a[1]) < 0) && (bOpen || Arrays.compareUnsigned(a[0], b[1]) < 0);
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
				fail(new EtcdException(
						"etcd answered a batched transaction with a result of another kind for '"
								+ PrintableKey.of(this.key) + "'"));
				return;
			}
			this.result = (R) result;
			finish();
		}

		void sendAlone(Sender sender) {
			try {
				this.result = sender.send(this.rpc, this.request, this.key);
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

		private void finish() {
			this.done = true;
			LockSupport.unpark(this.thread);
		}

	}

}
