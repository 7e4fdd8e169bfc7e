package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One operation of a transaction branch.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public sealed interface TxnOp {

	/**
	 * The key or prefix the operation addresses.
	 * @return the key
	 */
	String key();

	/**
	 * Put a value (converted like {@link EtcdOperations#put(String, Object)}).
	 * @param key the key
	 * @param value the value
	 * @return the operation
	 */
	static TxnOp put(String key, Object value) {
		return put(key, value, 0);
	}

	/**
	 * Put a value attached to a lease.
	 * @param key the key
	 * @param value the value
	 * @param leaseId the lease ID, {@code 0} for none
	 * @return the operation
	 */
	static TxnOp put(String key, Object value, long leaseId) {
		Assert.notNull(value, "etcd value must not be null");
		return new Put(key, value, leaseId, false);
	}

	/**
	 * Attach an existing key to another lease, keeping its value; the put fails the
	 * whole transaction when the key does not exist.
	 * @param key the key
	 * @param leaseId the lease ID, {@code 0} to detach the key from any lease
	 * @return the operation
	 */
	static TxnOp setLease(String key, long leaseId) {
		return new Put(key, null, leaseId, false);
	}

	/**
	 * Put an existing key again unchanged (same value, same lease), so that its version
	 * and mod revision move on; the put fails the whole transaction when the key does
	 * not exist.
	 * @param key the key
	 * @return the operation
	 */
	static TxnOp touch(String key) {
		return new Put(key, null, 0, true);
	}

	/**
	 * Read one key.
	 * @param key the key
	 * @return the operation
	 */
	static TxnOp get(String key) {
		return new Get(key, false, Get.Pick.ALL, 0);
	}

	/**
	 * Read every key starting with the prefix.
	 * @param prefix the prefix
	 * @return the operation
	 */
	static TxnOp getPrefix(String prefix) {
		return new Get(prefix, true, Get.Pick.ALL, 0);
	}

	/**
	 * Read the key under the prefix that was created first, as etcd's
	 * {@code WithFirstCreate()} does: the owner of a lock, the leader of an election.
	 * @param prefix the prefix
	 * @return the operation; it reads no key when none starts with the prefix
	 */
	static TxnOp getFirstCreated(String prefix) {
		return new Get(prefix, true, Get.Pick.FIRST_CREATED, 0);
	}

	/**
	 * Read the key under the prefix that was created last at or before a revision, as
	 * etcd's {@code WithLastCreate()} with {@code WithMaxCreateRev(rev)} does: the key a
	 * waiter in a lock or election queue waits for.
	 * @param prefix the prefix
	 * @param maxCreateRevision the highest create revision to consider
	 * @return the operation; it reads no key when none qualifies
	 */
	static TxnOp getLastCreated(String prefix, long maxCreateRevision) {
		Assert.isTrue(maxCreateRevision > 0, () -> "'maxCreateRevision' must be positive, was " + maxCreateRevision);
		return new Get(prefix, true, Get.Pick.LAST_CREATED, maxCreateRevision);
	}

	/**
	 * Delete one key.
	 * @param key the key
	 * @return the operation
	 */
	static TxnOp delete(String key) {
		return new Delete(key, false);
	}

	/**
	 * Delete every key starting with the prefix.
	 * @param prefix the prefix
	 * @return the operation
	 */
	static TxnOp deletePrefix(String prefix) {
		return new Delete(prefix, true);
	}

	/**
	 * A put.
	 *
	 * @param key the key
	 * @param value the new value, {@code null} to keep the current one
	 * @param leaseId the lease to attach the key to, {@code 0} for none
	 * @param keepLease whether to keep the key's current lease (then {@code leaseId} is
	 * ignored)
	 */
	record Put(String key, @Nullable Object value, long leaseId, boolean keepLease) implements TxnOp {

		public Put {
			Namespace.checkKey(key, "key");
			Assert.isTrue(leaseId >= 0, "'leaseId' must not be negative");
		}

	}

	/**
	 * A read.
	 *
	 * @param key the key or prefix
	 * @param prefix whether every key starting with {@code key} is read
	 * @param pick which of the keys read are returned
	 * @param maxCreateRevision the highest create revision of a key returned, {@code 0}
	 * for no bound
	 */
	record Get(String key, boolean prefix, Pick pick, long maxCreateRevision) implements TxnOp {

		public Get {
			Namespace.checkKey(key, prefix ? "prefix" : "key");
			Assert.notNull(pick, "'pick' must not be null");
			Assert.isTrue(maxCreateRevision >= 0, "'maxCreateRevision' must not be negative");
		}

		/**
		 * Which of the keys in range a read returns.
		 */
		public enum Pick {

			/**
			 * Every key, in key order.
			 */
			ALL,

			/**
			 * Only the key with the smallest create revision.
			 */
			FIRST_CREATED,

			/**
			 * Only the key with the largest create revision.
			 */
			LAST_CREATED

		}

	}

	record Delete(String key, boolean prefix) implements TxnOp {

		public Delete {
			Namespace.checkKey(key, prefix ? "prefix" : "key");
		}

	}

}
