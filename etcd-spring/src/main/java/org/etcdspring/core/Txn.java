package org.etcdspring.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import org.springframework.util.Assert;

/**
 * A transaction under construction: if every condition holds, the {@code then} operations
 * run, otherwise the {@code otherwise} operations; atomically, in one revision. Obtained
 * from {@link KeyValueOperations#txn()}.
 *
 * <pre class="code">
 * TxnResult result = etcd.txn()
 *     .when(Compare.value("state").isEqualTo("idle"))
 *     .then(TxnOp.put("state", "busy"))
 *     .otherwise(TxnOp.get("state"))
 *     .commit();
 * </pre>
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Txn {

	private final Function<Txn, TxnResult> committer;

	private final List<Compare> compares = new ArrayList<>();

	private final List<TxnOp> thenOps = new ArrayList<>();

	private final List<TxnOp> otherwiseOps = new ArrayList<>();

	/**
	 * A transaction that the given function sends when it is committed: the
	 * implementation of {@link KeyValueOperations#txn()} (or a stand-in of it in a test).
	 * @param committer sends the transaction and answers its result
	 */
	public Txn(Function<Txn, TxnResult> committer) {
		Assert.notNull(committer, "'committer' must not be null");
		this.committer = committer;
	}

	/**
	 * Add conditions; all must hold for the {@code then} branch to run.
	 * @param compares the conditions
	 * @return this transaction
	 */
	public Txn when(Compare... compares) {
		Assert.noNullElements(compares, "compares must not contain null");
		this.compares.addAll(Arrays.asList(compares));
		return this;
	}

	/**
	 * Add the condition that a lock is still held: its owner key still exists with the
	 * create revision it had when the lock was taken. A holder that lost the lock (its
	 * lease expired, its key was deleted and perhaps created again by the next holder)
	 * fails this condition, so its writes are refused by etcd. <pre class="code">
	 * boolean written = etcd.txn().ifHeld(lock).then(TxnOp.put("balance", 42)).commit().succeeded();
	 * </pre>
	 * @param lock a lock held in this process
	 * @return this transaction
	 * @throws IllegalStateException when the lock is not held in this process
	 */
	public Txn ifHeld(FencedLock lock) {
		Assert.notNull(lock, "'lock' must not be null");
		return when(Compare.createRevision(lock.ownerKey()).isEqualTo(lock.fencingToken()));
	}

	/**
	 * Add operations run when every condition holds.
	 * @param ops the operations
	 * @return this transaction
	 */
	public Txn then(TxnOp... ops) {
		Assert.noNullElements(ops, "operations must not contain null");
		this.thenOps.addAll(Arrays.asList(ops));
		return this;
	}

	/**
	 * Add operations run when a condition does not hold.
	 * @param ops the operations
	 * @return this transaction
	 */
	public Txn otherwise(TxnOp... ops) {
		Assert.noNullElements(ops, "operations must not contain null");
		this.otherwiseOps.addAll(Arrays.asList(ops));
		return this;
	}

	/**
	 * Send the transaction.
	 * @return which branch ran and its results
	 */
	public TxnResult commit() {
		return this.committer.apply(this);
	}

	/**
	 * The conditions, for the committer.
	 * @return the conditions, in the order added
	 */
	public List<Compare> compares() {
		return Collections.unmodifiableList(this.compares);
	}

	/**
	 * The operations to run when every condition holds, for the committer.
	 * @return the operations, in the order added
	 */
	public List<TxnOp> thenOps() {
		return Collections.unmodifiableList(this.thenOps);
	}

	/**
	 * The operations to run when a condition fails, for the committer.
	 * @return the operations, in the order added
	 */
	public List<TxnOp> otherwiseOps() {
		return Collections.unmodifiableList(this.otherwiseOps);
	}

}
