package org.etcdspring.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Deadline;
import org.etcdspring.core.EtcdCompactedException;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.KeyValueOperations;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.PrefixSnapshot;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.core.TxnResult;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchListener;
import org.etcdspring.watch.WatchOperations;
import org.etcdspring.watch.WatchRequest;

import org.springframework.util.Assert;

/**
 * A live local copy of every key under a prefix, consistent with one revision of the
 * store: read at revision {@code R} (in pages, bounded like every prefix read, see
 * {@link KeyValueOperations#getPrefixSnapshot(String)}), then kept current by a watch
 * from {@code R + 1}. Obtained from {@link org.etcdspring.EtcdOperations#cache(String)}.
 *
 * <pre class="code">
 * try (EtcdCache services = etcd.cache("services/")) {
 *     KeyValue billing = services.get("services/billing");   // no I/O
 *     services.addListener((change) -&gt; change.events().forEach(this::route));
 *     TxnResult written = etcd.txn().then(TxnOp.put("services/new", "10.0.0.7")).commit();
 *     services.awaitRevision(written.revision(), Duration.ofSeconds(5));   // read your write
 * }
 * </pre>
 *
 * <p>
 * Guarantees:
 * <ul>
 * <li>The changes of one revision (a transaction that writes several keys) are applied
 * together: {@link #asMap()} and listeners never see a revision half-applied.</li>
 * <li>The watch requires a leader: a member cut off from the majority ends it ("no
 * leader") instead of leaving the cache silently stale, and it resumes like after any
 * reconnect.</li>
 * <li>After a reconnect the watch resumes where it stopped, without loss or repetition.
 * When it cannot (the resume point was compacted, or the server cancelled the watch), the
 * prefix is read again and the differences reach listeners as one
 * {@link EtcdCacheChange.Kind#RESYNC} change, so a listener that applies every change to
 * a copy ends with the server's state.</li>
 * <li>Reads ({@link #get}, {@link #asMap}, {@link #revision}) do no I/O.</li>
 * </ul>
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdCache implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(EtcdCache.class);

	private static final Duration FIRST_RETRY = Duration.ofMillis(100);

	private static final Duration MAX_RETRY = Duration.ofSeconds(2);

	private final KeyValueOperations etcd;

	private final WatchOperations watches;

	private final String prefix;

	private final ScheduledExecutorService resyncTimer;

	private final EtcdCaches owner;

	private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();

	/** Guarded by {@link #stateLock}. */
	private final Map<String, KeyValue> entries = new HashMap<>();

	/** Changes apply, and reach listeners, one at a time in revision order. */
	private final ReentrantLock delivery = new ReentrantLock();

	private final List<EtcdCacheListener> listeners = new CopyOnWriteArrayList<>();

	/** The events of the revision being received; touched under {@link #delivery}. */
	private final List<WatchEvent> pending = new ArrayList<>();

	private volatile long revision;

	private volatile @Nullable Map<String, KeyValue> snapshot;

	/** Which watch feeds the cache; events of an earlier one are ignored. */
	private int generation;

	private volatile @Nullable Subscription subscription;

	private volatile boolean closed;

	EtcdCache(KeyValueOperations etcd, WatchOperations watches, String prefix, ScheduledExecutorService resyncTimer,
			EtcdCaches owner) {
		Namespace.checkKey(prefix, "prefix");
		this.etcd = etcd;
		this.watches = watches;
		this.prefix = prefix;
		this.resyncTimer = resyncTimer;
		this.owner = owner;
	}

	/**
	 * Load the prefix and start watching; an error of the first read fails the call.
	 */
	void start() {
		Snapshot loaded = read();
		this.delivery.lock();
		try {
			applyResync(loaded, EtcdCacheChange.Kind.INITIAL);
			watchFrom(loaded.revision() + 1);
		}
		finally {
			this.delivery.unlock();
		}
	}

	/**
	 * The prefix this cache holds.
	 * @return the prefix
	 */
	public String prefix() {
		return this.prefix;
	}

	/**
	 * A cached entry.
	 * @param key the full key (prefix included), as written
	 * @return the entry, or {@code null} when the key does not exist at
	 * {@link #revision()}
	 */
	public @Nullable KeyValue get(String key) {
		Assert.notNull(key, "'key' must not be null");
		this.stateLock.readLock().lock();
		try {
			return this.entries.get(key);
		}
		finally {
			this.stateLock.readLock().unlock();
		}
	}

	/**
	 * The content of the cache at {@link #revision()}: an unmodifiable snapshot in key
	 * order that later changes do not alter. Taking it copies the cache once per
	 * revision.
	 * @return the keys (as written, prefix included) and their entries
	 */
	public Map<String, KeyValue> asMap() {
		Map<String, KeyValue> current = this.snapshot;
		if (current != null) {
			return current;
		}
		this.stateLock.readLock().lock();
		try {
			current = Collections.unmodifiableMap(new TreeMap<>(this.entries));
			this.snapshot = current;
			return current;
		}
		finally {
			this.stateLock.readLock().unlock();
		}
	}

	/**
	 * How many keys the cache holds.
	 * @return the number of keys
	 */
	public int size() {
		this.stateLock.readLock().lock();
		try {
			return this.entries.size();
		}
		finally {
			this.stateLock.readLock().unlock();
		}
	}

	/**
	 * The revision of the store that the cache reflects: every change of the prefix up to
	 * it is applied.
	 * @return the revision
	 */
	public long revision() {
		return this.revision;
	}

	/**
	 * Wait until the cache reflects a revision, to read one's own write: pass the
	 * revision of a transaction ({@link TxnResult#revision()}) that wrote under the
	 * prefix. The cache learns of revisions through the changes of its prefix and through
	 * the progress notifications its watch asks for, which etcd sends to a watch that saw
	 * no change for an interval (10 minutes by default, the server's
	 * {@code --experimental-watch-progress-notify-interval}): a revision written only
	 * outside the prefix is reached with the next change of the prefix or the next
	 * progress notification, whichever comes first.
	 * @param revision the revision to wait for
	 * @param timeout how long to wait at most
	 * @return whether the cache reflects the revision; {@code false} on timeout or when
	 * the cache was closed
	 * @throws InterruptedException when the thread was interrupted while waiting
	 */
	public boolean awaitRevision(long revision, Duration timeout) throws InterruptedException {
		Assert.isTrue(revision >= 0, () -> "'revision' must not be negative, was " + revision);
		Assert.isTrue(timeout != null && !timeout.isNegative(), () -> "'timeout' must not be negative, was " + timeout);
		Deadline deadline = Deadline.after(timeout);
		synchronized (this) {
			while (this.revision < revision && !this.closed) {
				long left = deadline.remainingNanos();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			return this.revision >= revision;
		}
	}

	/**
	 * Add a listener. It first receives the current content as one
	 * {@link EtcdCacheChange.Kind#INITIAL} change (when not empty), then every later
	 * change, so that applying every change to a copy keeps the copy equal to the cache.
	 * A listener that throws is logged and keeps receiving changes.
	 * @param listener the listener
	 */
	public void addListener(EtcdCacheListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.delivery.lock();
		try {
			Map<String, KeyValue> current = asMap();
			if (!current.isEmpty()) {
				List<WatchEvent> puts = current.values()
					.stream()
					.map((kv) -> new WatchEvent(WatchEvent.Type.PUT, kv, null))
					.toList();
				notify(listener, new EtcdCacheChange(this.revision, puts, EtcdCacheChange.Kind.INITIAL));
			}
			this.listeners.add(listener);
		}
		finally {
			this.delivery.unlock();
		}
	}

	/**
	 * Remove a listener; it receives no change that starts after this call.
	 * @param listener the listener
	 */
	public void removeListener(EtcdCacheListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * How far the cache trails its watch: revisions received from the server but not yet
	 * applied.
	 * @return the lag in revisions, {@code 0} when up to date
	 */
	public long revisionLag() {
		Subscription current = this.subscription;
		long received = (current != null) ? current.nextRevision() - 1 : 0;
		return Math.max(0, received - this.revision);
	}

	/**
	 * Whether the cache is open (it may be reconnecting or resyncing).
	 * @return {@code false} once closed
	 */
	public boolean isOpen() {
		return !this.closed;
	}

	/**
	 * Stop watching and drop listeners. The content stays readable as it was.
	 */
	@Override
	public void close() {
		this.delivery.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.generation++;
			this.listeners.clear();
		}
		finally {
			this.delivery.unlock();
		}
		Subscription current = this.subscription;
		if (current != null) {
			current.close();
		}
		synchronized (this) {
			notifyAll();
		}
		this.owner.closed(this);
	}

	@Override
	public String toString() {
		return "EtcdCache[prefix '" + PrintableKey.of(this.prefix) + "', revision " + this.revision + ", " + size()
				+ " keys]";
	}

	/** Called with {@link #delivery} held. */
	private void watchFrom(long fromRevision) {
		int watching = ++this.generation;
		this.pending.clear();
		// Requiring a leader: on a member cut off from the majority the watch ends ("no
		// leader") and resumes elsewhere from its revision, rather than going silently
		// stale. Progress notifications move the revision on while the prefix is quiet.
		this.subscription = this.watches.watch(WatchRequest.prefix(this.prefix)
			.fromRevision(fromRevision)
			.requiringLeader()
			.withProgressNotifications(), new Feed(watching));
	}

	/**
	 * Read the prefix in pages at one revision, bounded like every prefix read of the
	 * client ({@code getPrefixSnapshot}).
	 */
	private Snapshot read() {
		PrefixSnapshot snapshot = this.etcd.getPrefixSnapshot(this.prefix);
		return new Snapshot(snapshot.revision(), snapshot.keyValues());
	}

	/** Called with {@link #delivery} held. */
	private void applyResync(Snapshot loaded, EtcdCacheChange.Kind kind) {
		List<WatchEvent> differences = new ArrayList<>();
		Map<String, KeyValue> fresh = new LinkedHashMap<>();
		for (KeyValue kv : loaded.kvs()) {
			fresh.put(kv.key(), kv);
		}
		this.stateLock.readLock().lock();
		try {
			for (KeyValue kv : loaded.kvs()) {
				KeyValue previous = this.entries.get(kv.key());
				if (previous == null || previous.modRevision() != kv.modRevision()) {
					differences.add(new WatchEvent(WatchEvent.Type.PUT, kv, previous));
				}
			}
			for (Map.Entry<String, KeyValue> entry : new TreeMap<>(this.entries).entrySet()) {
				if (!fresh.containsKey(entry.getKey())) {
					KeyValue deleted = new KeyValue(entry.getKey(), new byte[0], 0, loaded.revision(), 0, 0);
					differences.add(new WatchEvent(WatchEvent.Type.DELETE, deleted, entry.getValue()));
				}
			}
		}
		finally {
			this.stateLock.readLock().unlock();
		}
		apply(differences, Math.max(loaded.revision(), this.revision), kind);
	}

	/** Called with {@link #delivery} held. */
	private void apply(List<WatchEvent> events, long newRevision, EtcdCacheChange.Kind kind) {
		List<WatchEvent> applied = new ArrayList<>(events.size());
		this.stateLock.writeLock().lock();
		try {
			for (WatchEvent event : events) {
				KeyValue previous = (event.type() == WatchEvent.Type.PUT) ? this.entries.put(event.key(), event.kv())
						: this.entries.remove(event.key());
				// Watch events come without previous values: the cache knows them.
				applied.add((kind == EtcdCacheChange.Kind.UPDATE) ? new WatchEvent(event.type(), event.kv(), previous)
						: event);
			}
			if (!events.isEmpty()) {
				this.snapshot = null;
			}
			this.revision = newRevision;
		}
		finally {
			this.stateLock.writeLock().unlock();
		}
		synchronized (this) {
			notifyAll();
		}
		if (!applied.isEmpty() && kind != EtcdCacheChange.Kind.INITIAL) {
			EtcdCacheChange change = new EtcdCacheChange(newRevision, applied, kind);
			for (EtcdCacheListener listener : this.listeners) {
				notify(listener, change);
			}
		}
	}

	private void notify(EtcdCacheListener listener, EtcdCacheChange change) {
		try {
			listener.onChange(change);
		}
		catch (RuntimeException ex) {
			logger.error("Listener of the etcd cache of '" + PrintableKey.of(this.prefix)
					+ "' failed on the change at revision " + change.revision(), ex);
		}
	}

	/** Called with {@link #delivery} held. */
	private void flush() {
		if (!this.pending.isEmpty()) {
			List<WatchEvent> events = List.copyOf(this.pending);
			this.pending.clear();
			apply(events, events.get(0).revision(), EtcdCacheChange.Kind.UPDATE);
		}
	}

	private void resync(int failedGeneration, Duration delay) {
		try {
			this.resyncTimer.schedule(() -> resyncNow(failedGeneration, delay), delay.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The client is closing.
		}
	}

	private void resyncNow(int failedGeneration, Duration delay) {
		if (this.closed) {
			return;
		}
		Snapshot loaded;
		try {
			loaded = read();
		}
		catch (EtcdException ex) {
			Duration doubled = (delay.compareTo(FIRST_RETRY) < 0) ? FIRST_RETRY : delay.multipliedBy(2);
			Duration next = (doubled.compareTo(MAX_RETRY) > 0) ? MAX_RETRY : doubled;
			logger.info("Reading the prefix '" + PrintableKey.of(this.prefix) + "' for its cache failed ("
					+ ex.getMessage() + "); trying again in " + next.toMillis() + " ms");
			resync(failedGeneration, next);
			return;
		}
		this.delivery.lock();
		try {
			if (this.closed || this.generation != failedGeneration) {
				return;
			}
			this.pending.clear();
			applyResync(loaded, EtcdCacheChange.Kind.RESYNC);
			this.owner.resynced();
			watchFrom(loaded.revision() + 1);
		}
		finally {
			this.delivery.unlock();
		}
	}

	private record Snapshot(long revision, List<KeyValue> kvs) {
	}

	/**
	 * Feeds the cache from one watch: gathers the events of a revision and applies them
	 * once the revision is complete (the next revision starts, or the watch says every
	 * change up to it was delivered).
	 */
	private final class Feed implements WatchListener {

		private final int generation;

		Feed(int generation) {
			this.generation = generation;
		}

		@Override
		public void onEvent(WatchEvent event) {
			EtcdCache cache = EtcdCache.this;
			cache.delivery.lock();
			try {
				if (cache.generation != this.generation) {
					return;
				}
				if (!cache.pending.isEmpty() && cache.pending.get(0).revision() != event.revision()) {
					cache.flush();
				}
				cache.pending.add(event);
			}
			finally {
				cache.delivery.unlock();
			}
		}

		@Override
		public void onProgress(long revision) {
			EtcdCache cache = EtcdCache.this;
			cache.delivery.lock();
			try {
				if (cache.generation != this.generation) {
					return;
				}
				if (!cache.pending.isEmpty() && cache.pending.get(0).revision() <= revision) {
					cache.flush();
				}
				if (cache.pending.isEmpty() && revision > cache.revision) {
					cache.apply(List.of(), revision, EtcdCacheChange.Kind.UPDATE);
				}
			}
			finally {
				cache.delivery.unlock();
			}
		}

		@Override
		public void onError(EtcdException error) {
			EtcdCache cache = EtcdCache.this;
			if (cache.closed) {
				return;
			}
			if (error instanceof EtcdCompactedException) {
				logger.info("The watch of the etcd cache of '" + PrintableKey.of(cache.prefix) + "' cannot resume ("
						+ error.getMessage() + "); reading the prefix again");
			}
			else {
				logger.warn("The watch of the etcd cache of '" + PrintableKey.of(cache.prefix) + "' ended ("
						+ error.getMessage() + "); reading the prefix again");
			}
			cache.resync(this.generation, (error instanceof EtcdCompactedException) ? Duration.ZERO : FIRST_RETRY);
		}

	}

}
