package org.etcdspring.lock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock keys on the shared session whose release (by a holder) or removal (by a waiter
 * that gave up) etcd did not answer, retried in the background. A key is named after its
 * lease, so the next attempt of this process on the same lock and lease writes the very
 * same key: it {@link #claim claims} the abandoned key first, and the background removal,
 * which could otherwise delete the key of that attempt's hold, ends. A waiter's key is
 * taken over with its place in the queue; a released hold's key is released first, so
 * that every hold has a fencing token of its own.
 *
 * @author etcd-spring
 */
final class AbandonedKeys {

	private final Map<String, AbandonedKey> keys = new ConcurrentHashMap<>();

	/**
	 * Record an abandoned key.
	 * @param key the key
	 * @param leaseId the lease it is on
	 * @param removal its release or removal, safe to repeat
	 * @param held whether the key was a hold's, released in vain, rather than a waiter's
	 * @return the removal to retry: it does nothing once the key is claimed, and forgets
	 * the key once it succeeded
	 */
	Runnable abandon(String key, long leaseId, Runnable removal, boolean held) {
		AbandonedKey abandoned = new AbandonedKey(key, leaseId, removal, held);
		// The attempt that abandons it claimed any earlier one before it wrote the key.
		this.keys.put(key, abandoned);
		return abandoned;
	}

	/**
	 * Take an abandoned key over before writing it again: a waiter's key is kept, a
	 * hold's key released first. Waits while a removal of the key is being tried.
	 * @param key the key about to be written
	 * @throws org.etcdspring.core.EtcdException when the release of a hold's key fails:
	 * it goes on in the background
	 */
	void claim(String key) {
		AbandonedKey abandoned = this.keys.get(key);
		if (abandoned != null) {
			abandoned.takeOver();
		}
	}

	/**
	 * Forget a key whose removal is not retried after all.
	 * @param key the key
	 */
	void forget(String key) {
		this.keys.remove(key);
	}

	/**
	 * Forget the keys on a lease that is gone: they went with it, and no later attempt
	 * writes a key of that name. Never waits (called back by the keep-alive), so a
	 * removal in flight may still finish, harmlessly.
	 * @param leaseId the lease
	 */
	void leaseGone(long leaseId) {
		this.keys.values().removeIf((abandoned) -> abandoned.leaseId == leaseId);
	}

	/**
	 * Forget every key: the session leases are revoked or expire, which ends the retries.
	 */
	void clear() {
		this.keys.clear();
	}

	/**
	 * One abandoned key. Its background removal and an attempt's claim exclude each
	 * other, so that no removal deletes a key an attempt of this process has taken over.
	 */
	private final class AbandonedKey implements Runnable {

		private final String key;

		private final long leaseId;

		private final Runnable removal;

		private final boolean held;

		private boolean done;

		AbandonedKey(String key, long leaseId, Runnable removal, boolean held) {
			this.key = key;
			this.leaseId = leaseId;
			this.removal = removal;
			this.held = held;
		}

		/**
		 * The background retry.
		 */
		@Override
		public synchronized void run() {
			if (!this.done) {
				this.removal.run();
				done();
			}
		}

		synchronized void takeOver() {
			if (!this.done) {
				if (this.held) {
					this.removal.run();
				}
				done();
			}
		}

		private void done() {
			this.done = true;
			AbandonedKeys.this.keys.remove(this.key, this);
		}

	}

}
