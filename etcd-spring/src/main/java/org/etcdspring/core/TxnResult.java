package org.etcdspring.core;

import java.util.List;

/**
 * The outcome of a transaction: which branch ran, and one result per operation of that
 * branch, in order.
 *
 * @param succeeded whether every condition held, so the {@code then} branch ran
 * @param revision the store's revision after the transaction
 * @param results the results of the branch that ran
 * @author etcd-spring
 * @since 0.1.0
 */
public record TxnResult(boolean succeeded, long revision, List<OpResult> results) {

	/**
	 * The keys read by the get operation at the given position.
	 * @param index the position of a {@link TxnOp#get get} in the branch that ran
	 * @return the keys it read, empty when none matched
	 * @throws IllegalStateException when that operation was not a get
	 */
	public List<KeyValue> kvs(int index) {
		if (this.results.get(index) instanceof OpResult.GetResult get) {
			return get.kvs();
		}
		throw new IllegalStateException("Operation " + index + " of the transaction was not a get");
	}

	/**
	 * The result of one operation.
	 */
	public sealed interface OpResult {

		/**
		 * @param kvs the keys read, in key order
		 */
		record GetResult(List<KeyValue> kvs) implements OpResult {
		}

		/**
		 * @param revision the revision of the put
		 */
		record PutResult(long revision) implements OpResult {
		}

		/**
		 * @param deleted how many keys were deleted
		 */
		record DeleteResult(long deleted) implements OpResult {
		}

	}

}
