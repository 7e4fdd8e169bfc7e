package org.etcdspring.integration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

import org.etcdspring.EtcdOperations;
import org.etcdspring.core.Compare;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.TxnResult;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchRequest;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.integration.metadata.ConcurrentMetadataStore;
import org.springframework.integration.metadata.ListenableMetadataStore;
import org.springframework.integration.metadata.MetadataStoreListener;
import org.springframework.util.Assert;

/**
 * A Spring Integration {@link ConcurrentMetadataStore} on etcd: every entry is a key
 * under a prefix, {@link #putIfAbsent} and {@link #replace} are transactions, so
 * application instances sharing the store never overwrite each other's updates. Listeners
 * are told of changes made by any instance, through a watch on the prefix.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdMetadataStore implements ConcurrentMetadataStore, ListenableMetadataStore, DisposableBean {

	/**
	 * The key prefix used unless another is given.
	 */
	public static final String DEFAULT_PREFIX = "/spring-integration/metadata/";

	private final EtcdOperations etcd;

	private final String prefix;

	private final List<MetadataStoreListener> listeners = new CopyOnWriteArrayList<>();

	private @Nullable Subscription subscription;

	/**
	 * A store under {@value #DEFAULT_PREFIX}.
	 * @param etcd the etcd operations
	 */
	public EtcdMetadataStore(EtcdOperations etcd) {
		this(etcd, DEFAULT_PREFIX);
	}

	/**
	 * A store under the given key prefix.
	 * @param etcd the etcd operations
	 * @param prefix the prefix of every entry's key, such as {@code /myapp/metadata/}
	 */
	public EtcdMetadataStore(EtcdOperations etcd, String prefix) {
		Assert.notNull(etcd, "'etcd' must not be null");
		Assert.hasLength(prefix, "'prefix' must not be empty");
		this.etcd = etcd;
		this.prefix = prefix;
	}

	@Override
	public void put(String key, String value) {
		this.etcd.put(key(key), value);
	}

	@Override
	public @Nullable String get(String key) {
		return this.etcd.get(key(key));
	}

	@Override
	public @Nullable String remove(String key) {
		// Read and delete in one revision, so the returned value is the one deleted.
		TxnResult result = this.etcd.txn().then(TxnOp.get(key(key)), TxnOp.delete(key(key))).commit();
		List<KeyValue> removed = result.kvs(0);
		return removed.isEmpty() ? null : removed.get(0).valueAsString();
	}

	@Override
	public @Nullable String putIfAbsent(String key, String value) {
		Assert.notNull(value, "'value' must not be null");
		TxnResult result = this.etcd.txn()
			.when(Compare.absent(key(key)))
			.then(TxnOp.put(key(key), value))
			.otherwise(TxnOp.get(key(key)))
			.commit();
		return result.succeeded() ? null : result.kvs(0).get(0).valueAsString();
	}

	@Override
	public boolean replace(String key, String oldValue, String newValue) {
		return this.etcd.compareAndSet(key(key), oldValue, newValue);
	}

	@Override
	public synchronized void addListener(MetadataStoreListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.listeners.add(listener);
		if (this.subscription == null) {
			this.subscription = this.etcd.watch(WatchRequest.prefix(this.prefix).withPrevKv(), this::dispatch);
		}
	}

	@Override
	public synchronized void removeListener(MetadataStoreListener listener) {
		this.listeners.remove(listener);
		if (this.listeners.isEmpty()) {
			closeWatch();
		}
	}

	// etcd sends no previous value once its revision is compacted: onRemove then gets
	// null,
	// as from Spring Integration's own ZookeeperMetadataStore when a node has no data
	@SuppressWarnings("NullAway")
	private void dispatch(WatchEvent event) {
		String key = event.key().substring(this.prefix.length());
		for (MetadataStoreListener listener : this.listeners) {
			if (event.type() == WatchEvent.Type.DELETE) {
				listener.onRemove(key, (event.prevKv() != null) ? event.prevKv().valueAsString() : null);
			}
			else if (event.kv().version() == 1) {
				listener.onAdd(key, event.kv().valueAsString());
			}
			else {
				listener.onUpdate(key, event.kv().valueAsString());
			}
		}
	}

	private String key(String key) {
		Assert.hasLength(key, "metadata key must not be empty");
		return this.prefix + key;
	}

	private void closeWatch() {
		if (this.subscription != null) {
			this.subscription.close();
			this.subscription = null;
		}
	}

	@Override
	public synchronized void destroy() {
		this.listeners.clear();
		closeWatch();
	}

}
