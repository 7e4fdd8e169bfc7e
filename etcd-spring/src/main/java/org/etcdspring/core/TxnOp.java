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
		return new Get(key, false);
	}

	/**
	 * Read every key starting with the prefix.
	 * @param prefix the prefix
	 * @return the operation
	 */
	static TxnOp getPrefix(String prefix) {
		return new Get(prefix, true);
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

	record Get(String key, boolean prefix) implements TxnOp {

		public Get {
			Namespace.checkKey(key, prefix ? "prefix" : "key");
		}

	}

	record Delete(String key, boolean prefix) implements TxnOp {

		public Delete {
			Namespace.checkKey(key, prefix ? "prefix" : "key");
		}

	}

}
