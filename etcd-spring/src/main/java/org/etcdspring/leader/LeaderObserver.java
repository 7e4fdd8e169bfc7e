package org.etcdspring.leader;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.KeyValueOperations;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.TxnResult;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchListener;
import org.etcdspring.watch.WatchOperations;
import org.etcdspring.watch.WatchRequest;

/**
 * Observes the leader of an election: reads every participant's key once, then follows
 * the changes under the election's prefix with one watch, and reports the first-created
 * key whenever it (or its value) changes.
 *
 * <p>
 * The participants are touched by the thread that starts the observer and then only by
 * the watch's serial dispatch.
 *
 * @author etcd-spring
 */
final class LeaderObserver implements Subscription, WatchListener {

	private static final Log logger = LogFactory.getLog(LeaderObserver.class);

	private final KeyValueOperations etcd;

	private final WatchOperations watches;

	private final String keyPrefix;

	private final LeaderListener listener;

	private final Map<String, KeyValue> participants = new HashMap<>();

	private boolean reported;

	private @Nullable Leader leader;

	private volatile boolean active = true;

	private volatile @Nullable Subscription watch;

	LeaderObserver(KeyValueOperations etcd, WatchOperations watches, String keyPrefix, LeaderListener listener) {
		this.etcd = etcd;
		this.watches = watches;
		this.keyPrefix = keyPrefix;
		this.listener = listener;
	}

	/**
	 * Read the participants, report the leader if it changed, and watch from the revision
	 * after the read.
	 */
	void start() {
		TxnResult snapshot = this.etcd.txn().then(TxnOp.getPrefix(this.keyPrefix)).commit();
		this.participants.clear();
		snapshot.kvs(0).forEach((kv) -> this.participants.put(kv.key(), kv));
		reportChange();
		Subscription watch = this.watches
			.watch(WatchRequest.prefix(this.keyPrefix).fromRevision(snapshot.revision() + 1).requiringLeader(), this);
		this.watch = watch;
		if (!this.active) {
			// Closed while starting again.
			watch.close();
		}
	}

	@Override
	public void onEvent(WatchEvent event) {
		if (event.type() == WatchEvent.Type.PUT) {
			this.participants.put(event.key(), event.kv());
		}
		else {
			this.participants.remove(event.key());
		}
		reportChange();
	}

	@Override
	public void onError(EtcdException error) {
		// The watch cannot resume (its revision was compacted, say): read everything
		// again.
		if (this.active) {
			try {
				start();
			}
			catch (EtcdException ex) {
				this.active = false;
				logger.error("Observing the etcd election under '" + PrintableKey.of(this.keyPrefix) + "' ended", ex);
				this.listener.onError(ex);
			}
		}
	}

	private void reportChange() {
		Leader current = this.participants.values()
			.stream()
			.min(Comparator.comparingLong(KeyValue::createRevision))
			.map(Leader::of)
			.orElse(null);
		if (!this.reported || !Objects.equals(current, this.leader)) {
			this.reported = true;
			this.leader = current;
			if (this.active) {
				this.listener.leaderChanged(current);
			}
		}
	}

	@Override
	public boolean isActive() {
		Subscription watch = this.watch;
		return this.active && watch != null && watch.isActive();
	}

	@Override
	public long nextRevision() {
		Subscription watch = this.watch;
		return (watch != null) ? watch.nextRevision() : 0;
	}

	@Override
	public void close() {
		this.active = false;
		Subscription watch = this.watch;
		if (watch != null) {
			watch.close();
		}
	}

}
