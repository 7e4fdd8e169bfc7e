package org.etcdspring.stm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Compare;
import org.etcdspring.core.EtcdCompactedException;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdValueConverter;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.KeyValueOperations;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.TxnResult;

import org.springframework.util.Assert;

/**
 * Software transactional memory on etcd, as Go's {@code concurrency.STM}: runs a function
 * that reads and writes keys through an {@link StmTransaction}, recording each read with
 * the revision of the key it saw and buffering the writes; then commits one transaction
 * that applies every write only if the keys read are unchanged (as the
 * {@link StmIsolation isolation level} says). When another writer got there first, the
 * function runs again, up to a bounded number of attempts, after which an
 * {@link EtcdStmConflictException} names the contended keys.
 *
 * <pre class="code">
 * etcd.stm((tx) -&gt; {
 *     long a = tx.get("acct/a", Long.class);
 *     long b = tx.get("acct/b", Long.class);
 *     tx.put("acct/a", a - 5);
 *     tx.put("acct/b", b + 5);
 *     return null;
 * });
 * </pre>
 *
 * <p>
 * The function may run several times, so it must have no side effects: no writes outside
 * the transaction, no messages sent, no counters bumped. Exceptions it throws end the
 * transaction without writing and reach the caller.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdStm {

	/**
	 * How many times a function runs at most, by default.
	 */
	public static final int DEFAULT_MAX_ATTEMPTS = 32;

	private static final long MAX_BACKOFF_MILLIS = 50;

	/** Marks a buffered deletion in the write set. */
	private static final byte[] DELETED = new byte[0];

	private final KeyValueOperations etcd;

	private final EtcdValueConverter converter;

	private final StmIsolation isolation;

	private final int maxAttempts;

	/**
	 * An STM on a client.
	 * @param etcd the client
	 * @param converter converts values as the client does
	 * @param isolation the isolation level
	 * @param maxAttempts how many times a function runs at most, at least 1
	 */
	public EtcdStm(KeyValueOperations etcd, EtcdValueConverter converter, StmIsolation isolation, int maxAttempts) {
		Assert.notNull(etcd, "'etcd' must not be null");
		Assert.notNull(converter, "'converter' must not be null");
		Assert.notNull(isolation, "'isolation' must not be null");
		Assert.isTrue(maxAttempts >= 1, () -> "'maxAttempts' must be at least 1, was " + maxAttempts);
		this.etcd = etcd;
		this.converter = converter;
		this.isolation = isolation;
		this.maxAttempts = maxAttempts;
	}

	/**
	 * Run a function transactionally.
	 * @param function the side-effect-free body
	 * @param <T> the type of its result
	 * @return the result of the attempt that committed
	 * @throws EtcdStmConflictException when every attempt met a conflict
	 */
	public <T> @Nullable T run(StmFunction<T> function) {
		Assert.notNull(function, "'function' must not be null");
		Set<String> contended = new TreeSet<>();
		for (int attempt = 1; attempt <= this.maxAttempts; attempt++) {
			Attempt tx = new Attempt();
			T result = null;
			try {
				result = function.apply(tx);
			}
			catch (SnapshotCompacted ex) {
				tx.snapshotLost = true;
			}
			if (tx.snapshotLost) {
				// Even if the function caught the failure and went on: its reads are
				// incomplete.
				contended.addAll(tx.reads.keySet());
				conflicted(attempt);
				continue;
			}
			Set<String> changed = tx.commit();
			if (changed.isEmpty()) {
				return result;
			}
			contended.addAll(changed);
			conflicted(attempt);
		}
		throw new EtcdStmConflictException(contended, this.maxAttempts);
	}

	private void conflicted(int attempt) {
		if (attempt < this.maxAttempts) {
			// A little random pause, so that contenders do not collide again in
			// lock-step.
			long bound = Math.min(MAX_BACKOFF_MILLIS, 1L << Math.min(attempt, 6));
			try {
				TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(bound + 1));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new EtcdException("Interrupted between attempts of an etcd STM transaction");
			}
		}
	}

	/** The snapshot revision of the reads was compacted: run again on a fresh one. */
	private static final class SnapshotCompacted extends RuntimeException {

		SnapshotCompacted(EtcdCompactedException cause) {
			super(cause.getMessage(), cause, false, false);
		}

	}

	/**
	 * One run of the function: its read set and its write set.
	 */
	private final class Attempt implements StmTransaction {

		/** Keys read, with what was seen ({@code null}: the key did not exist). */
		private final Map<String, @Nullable KeyValue> reads = new LinkedHashMap<>();

		/** Keys written, with their new bytes ({@link #DELETED} for a deletion). */
		private final Map<String, byte[]> writes = new LinkedHashMap<>();

		/**
		 * The revision every read sees, for the serializable levels; 0 before the first
		 * read.
		 */
		private long snapshotRevision;

		/**
		 * A read failed because the snapshot revision was compacted: the attempt cannot
		 * commit.
		 */
		private boolean snapshotLost;

		@Override
		public @Nullable String get(String key) {
			return get(key, String.class);
		}

		@Override
		public <T> @Nullable T get(String key, Class<T> type) {
			Assert.notNull(type, "'type' must not be null");
			byte[] written = this.writes.get(key);
			if (written != null) {
				return (written == DELETED) ? null : EtcdStm.this.converter.fromBytes(written, type);
			}
			KeyValue kv = getEntry(key);
			return (kv != null) ? EtcdStm.this.converter.fromBytes(kv.value(), type) : null;
		}

		@Override
		public @Nullable KeyValue getEntry(String key) {
			Namespace.checkKey(key, "key");
			if (this.reads.containsKey(key)) {
				return this.reads.get(key);
			}
			boolean snapshot = EtcdStm.this.isolation == StmIsolation.SERIALIZABLE_SNAPSHOT
					|| EtcdStm.this.isolation == StmIsolation.SERIALIZABLE;
			TxnOp.Get read = TxnOp.get(key);
			if (snapshot && this.snapshotRevision > 0) {
				read = read.atRevision(this.snapshotRevision);
			}
			TxnResult result;
			try {
				result = EtcdStm.this.etcd.txn().then(read).commit();
			}
			catch (EtcdCompactedException ex) {
				this.snapshotLost = true;
				throw new SnapshotCompacted(ex);
			}
			if (snapshot && this.snapshotRevision == 0) {
				this.snapshotRevision = result.revision();
			}
			List<KeyValue> found = result.kvs(0);
			KeyValue kv = found.isEmpty() ? null : found.get(0);
			this.reads.put(key, kv);
			return kv;
		}

		@Override
		public void put(String key, Object value) {
			Namespace.checkKey(key, "key");
			Assert.notNull(value, "'value' must not be null");
			this.writes.put(key, EtcdStm.this.converter.toBytes(value));
		}

		@Override
		public void delete(String key) {
			Namespace.checkKey(key, "key");
			this.writes.put(key, DELETED);
		}

		/**
		 * Commit the writes if the reads still hold.
		 * @return the keys found changed by others; empty when committed
		 */
		Set<String> commit() {
			StmIsolation isolation = EtcdStm.this.isolation;
			if (this.writes.isEmpty() && isolation != StmIsolation.REPEATABLE_READS) {
				// Reads at one revision (or unchecked reads) need no validation.
				return Set.of();
			}
			Map<String, Long> guards = guards(isolation);
			List<Compare> compares = new ArrayList<>();
			List<TxnOp> current = new ArrayList<>();
			guards.forEach((key, revision) -> {
				compares.add((isolation == StmIsolation.SERIALIZABLE_SNAPSHOT)
						? Compare.modRevision(key).isLessThan(revision + 1)
						: Compare.modRevision(key).isEqualTo(revision));
				current.add(TxnOp.get(key));
			});
			List<TxnOp> ops = new ArrayList<>();
			this.writes
				.forEach((key, value) -> ops.add((value == DELETED) ? TxnOp.delete(key) : TxnOp.put(key, value)));
			TxnResult result = EtcdStm.this.etcd.txn()
				.when(compares.toArray(Compare[]::new))
				.then(ops.toArray(TxnOp[]::new))
				.otherwise(current.toArray(TxnOp[]::new))
				.commit();
			if (result.succeeded()) {
				return Set.of();
			}
			Set<String> changed = new TreeSet<>();
			int index = 0;
			for (Map.Entry<String, Long> guard : guards.entrySet()) {
				List<KeyValue> now = result.kvs(index++);
				long modRevision = now.isEmpty() ? 0 : now.get(0).modRevision();
				boolean holds = (isolation == StmIsolation.SERIALIZABLE_SNAPSHOT) ? modRevision <= guard.getValue()
						: modRevision == guard.getValue();
				if (!holds) {
					changed.add(guard.getKey());
				}
			}
			if (changed.isEmpty()) {
				// Changed and changed back between the commit and the look: still a
				// conflict.
				changed.addAll(guards.keySet());
			}
			return changed;
		}

		/**
		 * The keys the commit checks, with the revision each is compared with: for the
		 * snapshot level, the snapshot revision (no change after it); otherwise the mod
		 * revision read ({@code 0} for a key that did not exist).
		 */
		private Map<String, Long> guards(StmIsolation isolation) {
			Map<String, Long> guards = new LinkedHashMap<>();
			switch (isolation) {
				case SERIALIZABLE_SNAPSHOT -> {
					if (this.snapshotRevision > 0) {
						this.reads.keySet().forEach((key) -> guards.put(key, this.snapshotRevision));
						this.writes.keySet().forEach((key) -> guards.put(key, this.snapshotRevision));
					}
				}
				case SERIALIZABLE, REPEATABLE_READS ->
					this.reads.forEach((key, kv) -> guards.put(key, (kv != null) ? kv.modRevision() : 0L));
				case READ_COMMITTED -> {
				}
			}
			return guards;
		}

	}

}
