package org.etcdspring.lock;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Compare;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.KeyValueOperations;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.TxnResult;

/**
 * The etcd transactions of a lock, in the key layout of etcd's {@code concurrency.Mutex}
 * so that our locks and {@code etcdctl lock} exclude each other: every contender puts a
 * key {@code <prefix><name>/<lease id in hex>} on its lease; the oldest key (smallest
 * create revision) holds the lock, and each other contender waits for the deletion of the
 * next older key. A key's value is its contender's owner value, empty for a plain lock; a
 * contender with an owner value also holds the lock while every older key carries that
 * same value.
 *
 * @author etcd-spring
 */
final class MutexRecipe {

	private final KeyValueOperations etcd;

	MutexRecipe(KeyValueOperations etcd) {
		this.etcd = etcd;
	}

	/**
	 * Take the lock only if nobody holds it or waits for it, in one round trip (two for
	 * an owner value that joins holders of the same value); never waits and never leaves
	 * a key behind when refused.
	 * @param me the contender
	 * @return {@link Standing.Kind#HELD} or {@link Standing.Kind#NOT_QUEUED}; or
	 * {@link Standing.Kind#WAITING} when a key of ours from an earlier attempt waits in
	 * the queue (the caller deletes it)
	 */
	Standing tryOnce(Contender me) {
		TxnResult result = this.etcd.txn()
			// Nobody holds or waits for the lock: the prefix is empty.
			.when(Compare.createRevision(me.prefix()).throughPrefix(me.prefix()).isEqualTo(0L))
			// So our key is the only one, hence the oldest: we hold the lock.
			.then(TxnOp.put(me.key(), me.ownerValue(), me.leaseId()))
			// Otherwise read our key (an earlier attempt of this session may have queued
			// it)
			// and the queue, to tell whether we hold the lock already.
			.otherwise(TxnOp.get(me.key()), queue(me))
			.commit();
		if (result.succeeded()) {
			return Standing.held(result.revision(), result.revision());
		}
		KeyValue mine = first(result.kvs(0));
		if (mine != null) {
			return (mine.lease() == me.leaseId())
					? standing(me, mine.createRevision(), result.kvs(1), result.revision())
					: Standing.notQueued(result.revision());
		}
		if (me.hasOwnerValue() && presentOnly(me.ownerValue(), result.kvs(1))) {
			return join(me);
		}
		return Standing.notQueued(result.revision());
	}

	private Standing join(Contender me) {
		TxnResult result = this.etcd.txn()
			// Every holder and waiter still presents our owner value...
			.when(Compare.value(me.prefix()).throughPrefix(me.prefix()).isEqualTo(me.ownerValue()),
					// ...and we are not queued yet.
					Compare.createRevision(me.key()).isEqualTo(0L))
			// Join them: every key older than ours carries our value, so we hold the lock
			// too.
			.then(TxnOp.put(me.key(), me.ownerValue(), me.leaseId()))
			.commit();
		return result.succeeded() ? Standing.held(result.revision(), result.revision())
				: Standing.notQueued(result.revision());
	}

	/**
	 * Queue up for the lock, and take it at once when uncontended (one round trip).
	 * @param me the contender
	 * @return where the contender stands: {@link Standing.Kind#HELD},
	 * {@link Standing.Kind#WAITING} (without the key to wait for; see
	 * {@link #nextBlocker}), or {@link Standing.Kind#KEY_TAKEN} when our key name is
	 * still held by an earlier hold of ours that outlives its release on another lease
	 */
	Standing enqueue(Contender me) {
		TxnResult result = this.etcd.txn()
			// We are not queued yet...
			.when(Compare.createRevision(me.key()).isEqualTo(0L))
			// ...so queue up: the oldest key holds the lock. Read the queue in the same
			// round
			// trip to finish an uncontended lock at once.
			.then(TxnOp.put(me.key(), me.ownerValue(), me.leaseId()), queue(me))
			// Otherwise an earlier attempt of this session queued our key: keep its
			// place.
			.otherwise(TxnOp.get(me.key()), queue(me))
			.commit();
		if (result.succeeded()) {
			return standing(me, result.revision(), result.kvs(1), result.revision());
		}
		KeyValue mine = first(result.kvs(0));
		if (mine == null) {
			// Deleted between the compare and the read: impossible within one
			// transaction.
			throw new IllegalStateException(
					"etcd transaction saw key '" + PrintableKey.of(me.key()) + "' and then did not");
		}
		if (mine.lease() != me.leaseId()) {
			return new Standing(Standing.Kind.KEY_TAKEN, mine.createRevision(), result.revision(), null);
		}
		return standing(me, mine.createRevision(), result.kvs(1), result.revision());
	}

	/**
	 * Find the key a queued contender waits for.
	 * @param me the contender
	 * @param myRevision the create revision of its key
	 * @return {@link Standing.Kind#HELD} when nothing is left to wait for,
	 * {@link Standing.Kind#WAITING} with the key to watch, or
	 * {@link Standing.Kind#NOT_QUEUED} when our key is gone (our lease was lost)
	 */
	Standing nextBlocker(Contender me, long myRevision) {
		TxnOp.Get older = TxnOp.getPrefix(me.prefix()).newestFirst().createdAtOrBefore(myRevision - 1);
		TxnResult result = this.etcd.txn()
			// Still queued? Our key vanishes with our lease.
			.then(TxnOp.get(me.key()),
					// The next older contender: we wait for its deletion. With an owner
					// value,
					// all older ones, as those presenting our value do not block us.
					me.hasOwnerValue() ? older : older.limit(1))
			.commit();
		KeyValue mine = first(result.kvs(0));
		if (mine == null || mine.createRevision() != myRevision) {
			return Standing.notQueued(result.revision());
		}
		for (KeyValue kv : result.kvs(1)) {
			if (!me.hasOwnerValue() || !me.ownerValue().equals(kv.valueAsString())) {
				return new Standing(Standing.Kind.WAITING, myRevision, result.revision(), kv.key());
			}
		}
		return Standing.held(myRevision, result.revision());
	}

	/**
	 * Give up the hold the calling thread has, with a plain delete of its key, as etcd's
	 * own lock service unlocks: no compare is needed, since the key is named after the
	 * hold's lease and only this process writes it, and only while it holds the lock's
	 * local lock, which the unlocking thread still holds; so the key now under that name
	 * is the hold's own, or none when the hold was lost. A delete costs etcd much less
	 * than a transaction through the gateway. A release retried in the background may run
	 * after a later hold took the same key name, so it uses
	 * {@link #release(String, long)}.
	 * @param key the hold's key
	 * @return {@code false} when the key was no longer there
	 */
	boolean releaseHeld(String key) {
		return this.etcd.delete(key);
	}

	/**
	 * Give up a hold or a place in the queue, guarded on the key's create revision: safe
	 * to repeat at any time.
	 * @param key the contender's key
	 * @param createRevision its create revision (the fencing token of a hold)
	 * @return {@code false} when the key was no longer there
	 */
	boolean release(String key, long createRevision) {
		return this.etcd.txn()
			// Still our key: not lost, and not created again by a later contender.
			.when(Compare.createRevision(key).isEqualTo(createRevision))
			// Delete it: the next contender's watch sees the deletion and takes the lock.
			.then(TxnOp.delete(key))
			.commit()
			.succeeded();
	}

	/**
	 * Leave the queue after an attempt whose outcome is unknown.
	 * @param me the contender
	 */
	void leave(Contender me) {
		this.etcd.txn()
			// Our key, if the attempt wrote it (an older hold of ours may own the name on
			// another lease).
			.when(Compare.lease(me.key()).isEqualTo(me.leaseId()))
			.then(TxnOp.delete(me.key()))
			.commit();
	}

	/**
	 * Leave the queue after an attempt whose outcome is unknown, when nothing else of
	 * this process writes the key: read it, and delete it guarded on its create revision
	 * if it is on the contender's lease.
	 * @param me the contender
	 */
	void leaveOnceKnown(Contender me) {
		KeyValue mine = this.etcd.getEntry(me.key());
		if (mine != null && mine.lease() == me.leaseId()) {
			release(me.key(), mine.createRevision());
		}
	}

	/**
	 * Attach a held key to another lease, keeping its place in the queue and so its
	 * fencing token.
	 * @param key the owner key
	 * @param fencingToken its create revision
	 * @param leaseId the other lease
	 * @return {@code false} when the lock was lost
	 */
	boolean moveToLease(String key, long fencingToken, long leaseId) {
		return this.etcd.txn()
			// Still our hold.
			.when(Compare.createRevision(key).isEqualTo(fencingToken))
			// Same key, same create revision, same value: only the lease changes.
			.then(TxnOp.setLease(key, leaseId))
			.commit()
			.succeeded();
	}

	/**
	 * The current holder of a lock: the oldest key of its queue.
	 * @param prefix the lock's key prefix
	 * @return the holder's key, or {@code null} when the lock is free
	 */
	@Nullable KeyValue holder(String prefix) {
		return first(this.etcd.txn().then(TxnOp.getPrefix(prefix).oldestFirst().limit(1)).commit().kvs(0));
	}

	private static TxnOp.Get queue(Contender me) {
		// The holder is enough for a plain lock; an owner value needs every older key.
		TxnOp.Get queue = TxnOp.getPrefix(me.prefix()).oldestFirst();
		return me.hasOwnerValue() ? queue : queue.limit(1);
	}

	/**
	 * Whether a contender whose key has the given create revision holds the lock, given
	 * the queue read oldest first (all of it with an owner value, else its first key).
	 */
	private static Standing standing(Contender me, long myRevision, List<KeyValue> queue, long revision) {
		for (KeyValue kv : queue) {
			if (kv.createRevision() >= myRevision) {
				break;
			}
			if (!me.hasOwnerValue() || !me.ownerValue().equals(kv.valueAsString())) {
				return new Standing(Standing.Kind.WAITING, myRevision, revision, null);
			}
		}
		return Standing.held(myRevision, revision);
	}

	private static boolean presentOnly(String ownerValue, List<KeyValue> queue) {
		return !queue.isEmpty() && queue.stream().allMatch((kv) -> ownerValue.equals(kv.valueAsString()));
	}

	private static @Nullable KeyValue first(List<KeyValue> kvs) {
		return kvs.isEmpty() ? null : kvs.get(0);
	}

	/**
	 * One session's entry in the queue of a lock.
	 *
	 * @param prefix the lock's key prefix, {@code <prefix><name>/}
	 * @param ownerValue the value written to the key, empty for a plain lock
	 * @param key the contender's key, {@code <prefix><name>/<lease id in hex>}
	 * @param leaseId the lease the key is on
	 */
	record Contender(String prefix, String ownerValue, String key, long leaseId) {

		boolean hasOwnerValue() {
			return !this.ownerValue.isEmpty();
		}

	}

	/**
	 * Where a contender stands in the queue of a lock.
	 *
	 * @param kind held, waiting, not queued, or key taken
	 * @param createRevision the create revision of the contender's key (for a hold: the
	 * fencing token), or of the older key that holds its name
	 * @param revision the store revision the answer was read at
	 * @param blocker the key to wait for the deletion of, when known
	 */
	record Standing(Kind kind, long createRevision, long revision, @Nullable String blocker) {

		static Standing held(long createRevision, long revision) {
			return new Standing(Kind.HELD, createRevision, revision, null);
		}

		static Standing notQueued(long revision) {
			return new Standing(Kind.NOT_QUEUED, 0, revision, null);
		}

		enum Kind {

			/**
			 * The contender holds the lock.
			 */
			HELD,

			/**
			 * The contender's key waits in the queue.
			 */
			WAITING,

			/**
			 * The contender has no key in the queue.
			 */
			NOT_QUEUED,

			/**
			 * The contender's key name is held by an earlier hold on another lease: wait
			 * for its deletion.
			 */
			KEY_TAKEN

		}

	}

}
