package org.etcdspring.cache;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import org.etcdspring.core.EtcdThreads;
import org.etcdspring.core.KeyValueOperations;
import org.etcdspring.watch.WatchOperations;

import org.springframework.util.Assert;

/**
 * The {@link EtcdCache caches} of one client, with the figures their meters show.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdCaches implements AutoCloseable {

	private final KeyValueOperations etcd;

	private final WatchOperations watches;

	private final Set<EtcdCache> open = ConcurrentHashMap.newKeySet();

	private final AtomicLong resyncs = new AtomicLong();

	private final ScheduledExecutorService resyncTimer;

	private volatile boolean closed;

	/**
	 * The caches of a client: each reads its prefix through the key/value operations and
	 * follows it with a watch.
	 * @param etcd the key/value operations
	 * @param watches the watches
	 */
	public EtcdCaches(KeyValueOperations etcd, WatchOperations watches) {
		Assert.notNull(etcd, "'etcd' must not be null");
		Assert.notNull(watches, "'watches' must not be null");
		this.etcd = etcd;
		this.watches = watches;
		this.resyncTimer = EtcdThreads.platform().timer("etcd-cache-resync").getScheduledExecutor();
	}

	/**
	 * Load a prefix into a new cache and keep it current until the cache is closed.
	 * @param prefix the key prefix, not empty
	 * @return the loaded cache
	 * @throws org.etcdspring.core.EtcdException when the first read fails
	 */
	public EtcdCache open(String prefix) {
		Assert.state(!this.closed, "The caches of this client have been closed");
		EtcdCache cache = new EtcdCache(this.etcd, this.watches, prefix, this.resyncTimer, this);
		cache.start();
		this.open.add(cache);
		return cache;
	}

	void closed(EtcdCache cache) {
		this.open.remove(cache);
	}

	void resynced() {
		this.resyncs.incrementAndGet();
	}

	/**
	 * How many caches are open.
	 * @return the number of open caches
	 */
	public int count() {
		return this.open.size();
	}

	/**
	 * How many keys the open caches hold together.
	 * @return the number of keys
	 */
	public long size() {
		return this.open.stream().mapToLong(EtcdCache::size).sum();
	}

	/**
	 * The largest {@link EtcdCache#revisionLag() revision lag} of the open caches.
	 * @return the lag in revisions
	 */
	public long revisionLag() {
		return this.open.stream().mapToLong(EtcdCache::revisionLag).max().orElse(0);
	}

	/**
	 * How many times a cache read its prefix again because its watch could not resume.
	 * @return the resync count, closed caches included
	 */
	public long resyncCount() {
		return this.resyncs.get();
	}

	/**
	 * Close every cache and stop the resync thread.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.open.forEach(EtcdCache::close);
		this.resyncTimer.shutdownNow();
	}

}
