package org.etcdspring.lock;

import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Deadline;
import org.etcdspring.core.EtcdException;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchListener;
import org.etcdspring.watch.WatchOperations;
import org.etcdspring.watch.WatchRequest;

/**
 * A contender's wait for the deletion of the key ahead of it: a watch of that key from
 * the revision it was seen at, so a deletion in between is not missed. The wait also ends
 * early when the contender's own lease is lost or the locks are closed, and when the
 * watch ends on an error: the contender then reads the queue again.
 *
 * @author etcd-spring
 */
final class DeletionWait implements WatchListener, AutoCloseable {

	private final CountDownLatch ended = new CountDownLatch(1);

	private final String key;

	private final long seenAtRevision;

	private final long leaseId;

	private final Consumer<DeletionWait> onClose;

	private volatile @Nullable Subscription watch;

	/**
	 * Prepare a wait.
	 * @param key the key to wait for the deletion of
	 * @param seenAtRevision the revision the key was seen at
	 * @param leaseId the lease of the contender that waits
	 * @param onClose told when the wait is closed
	 */
	DeletionWait(String key, long seenAtRevision, long leaseId, Consumer<DeletionWait> onClose) {
		this.key = key;
		this.seenAtRevision = seenAtRevision;
		this.leaseId = leaseId;
		this.onClose = onClose;
	}

	/**
	 * Start watching the key.
	 * @param etcd the operations to watch with
	 */
	void start(WatchOperations watches) {
		this.watch = watches.watch(
				WatchRequest.key(this.key).fromRevision(this.seenAtRevision + 1).withoutPuts().requiringLeader(), this);
	}

	/**
	 * The lease of the contender that waits.
	 * @return the lease ID
	 */
	long leaseId() {
		return this.leaseId;
	}

	@Override
	public void onEvent(WatchEvent event) {
		if (event.type() == WatchEvent.Type.DELETE) {
			this.ended.countDown();
		}
	}

	@Override
	public void onError(EtcdException error) {
		this.ended.countDown();
	}

	/**
	 * End the wait now: the contender reads the queue again.
	 */
	void wake() {
		this.ended.countDown();
	}

	/**
	 * Wait for the deletion, a wake-up or the deadline.
	 * @param deadline the deadline
	 * @return {@code false} when the deadline passed first
	 * @throws InterruptedException when interrupted
	 */
	boolean await(Deadline deadline) throws InterruptedException {
		return deadline.await(this.ended);
	}

	@Override
	public void close() {
		Subscription watch = this.watch;
		if (watch != null) {
			watch.close();
		}
		this.onClose.accept(this);
	}

}
