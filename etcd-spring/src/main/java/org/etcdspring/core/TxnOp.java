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
	 * Put a value (converted like {@link KeyValueOperations#put(String, Object)}).
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
	 * Attach an existing key to another lease, keeping its value; the put fails the whole
	 * transaction when the key does not exist.
	 * @param key the key
	 * @param leaseId the lease ID, {@code 0} to detach the key from any lease
	 * @return the operation
	 */
	static TxnOp setLease(String key, long leaseId) {
		return new Put(key, null, leaseId, false);
	}

	/**
	 * Put an existing key again unchanged (same value, same lease), so that its version
	 * and mod revision move on; the put fails the whole transaction when the key does not
	 * exist.
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
	static Get get(String key) {
		return new Get(key, false, Get.Order.KEY, 0, 0);
	}

	/**
	 * Read every key starting with the prefix, in key order unless
	 * {@linkplain Get#oldestFirst() ordered} otherwise.
	 * @param prefix the prefix
	 * @return the operation
	 */
	static Get getPrefix(String prefix) {
		return new Get(prefix, true, Get.Order.KEY, 0, 0);
	}

	/**
	 * Read the key under the prefix that was created first, as etcd's
	 * {@code WithFirstCreate()} does: the owner of a lock, the leader of an election.
	 * @param prefix the prefix
	 * @return the operation; it reads no key when none starts with the prefix
	 */
	static Get getFirstCreated(String prefix) {
		return getPrefix(prefix).oldestFirst().limit(1);
	}

	/**
	 * Read the key under the prefix that was created last at or before a revision, as
	 * etcd's {@code WithLastCreate()} with {@code WithMaxCreateRev(rev)} does: the key a
	 * waiter in a lock or election queue waits for.
	 * @param prefix the prefix
	 * @param maxCreateRevision the highest create revision to consider
	 * @return the operation; it reads no key when none qualifies
	 */
	static Get getLastCreated(String prefix, long maxCreateRevision) {
		return getPrefix(prefix).newestFirst().limit(1).createdAtOrBefore(maxCreateRevision);
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
	 * A read of one key or of a prefix; for a prefix, optionally in creation order, cut
	 * to the first keys, and restricted to keys created up to a revision: the queries of
	 * etcd's lock and election recipes.
	 *
	 * @param key the key or prefix
	 * @param prefix whether every key starting with {@code key} is read
	 * @param order the order of the keys read
	 * @param limit how many keys to read at most, {@code 0} for all
	 * @param maxCreateRevision only keys created at or before this revision, {@code 0}
	 * for all
	 * @param revision the revision of the store to read, {@code 0} for the current one
	 */
	record Get(String key, boolean prefix, Order order, long limit, long maxCreateRevision,
			long revision) implements TxnOp {

		public Get {
			Namespace.checkKey(key, prefix ? "prefix" : "key");
			Assert.notNull(order, "'order' must not be null");
			Assert.isTrue(limit >= 0, "'limit' must not be negative");
			Assert.isTrue(maxCreateRevision >= 0, "'maxCreateRevision' must not be negative");
			Assert.isTrue(revision >= 0, "'revision' must not be negative");
		}

		public Get(String key, boolean prefix, Order order, long limit, long maxCreateRevision) {
			this(key, prefix, order, limit, maxCreateRevision, 0);
		}

		/**
		 * Read the keys as they were at a past revision (which must not be compacted).
		 * @param revision a positive revision
		 * @return a new operation
		 */
		public Get atRevision(long revision) {
			Assert.isTrue(revision > 0, () -> "'revision' must be positive, was " + revision);
			return new Get(this.key, this.prefix, this.order, this.limit, this.maxCreateRevision, revision);
		}

		/**
		 * Read the keys in the order they were created, oldest first.
		 * @return a new operation
		 */
		public Get oldestFirst() {
			return new Get(this.key, this.prefix, Order.OLDEST_FIRST, this.limit, this.maxCreateRevision,
					this.revision);
		}

		/**
		 * Read the keys in the reverse order of their creation, newest first.
		 * @return a new operation
		 */
		public Get newestFirst() {
			return new Get(this.key, this.prefix, Order.NEWEST_FIRST, this.limit, this.maxCreateRevision,
					this.revision);
		}

		/**
		 * Read at most this many keys, the first in this operation's order.
		 * @param limit a positive number of keys
		 * @return a new operation
		 */
		public Get limit(long limit) {
			Assert.isTrue(limit > 0, () -> "'limit' must be positive, was " + limit);
			return new Get(this.key, this.prefix, this.order, limit, this.maxCreateRevision, this.revision);
		}

		/**
		 * Read only the keys created at or before a revision.
		 * @param revision a positive revision
		 * @return a new operation
		 */
		public Get createdAtOrBefore(long revision) {
			Assert.isTrue(revision > 0, () -> "'revision' must be positive, was " + revision);
			return new Get(this.key, this.prefix, this.order, this.limit, revision, this.revision);
		}

		/**
		 * The order of the keys a get reads.
		 */
		public enum Order {

			/**
			 * Ascending by key.
			 */
			KEY,

			/**
			 * Ascending by create revision.
			 */
			OLDEST_FIRST,

			/**
			 * Descending by create revision.
			 */
			NEWEST_FIRST

		}

	}

	record Delete(String key, boolean prefix) implements TxnOp {

		public Delete {
			Namespace.checkKey(key, prefix ? "prefix" : "key");
		}

	}

}
