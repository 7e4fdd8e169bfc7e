package org.etcdspring.directory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Compare;
import org.etcdspring.core.Durations;
import org.etcdspring.core.EtcdCompactedException;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdPreconditionFailedException;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.KeyValueOperations;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.TxnResult;
import org.etcdspring.lease.Lease;
import org.etcdspring.lease.LeaseOperations;

import org.springframework.util.Assert;

/**
 * A directory on etcd's flat key space, as etcd v2 had them: the keys under
 * {@code path/}, with a marker key {@code path/} (empty value) for the directory itself.
 *
 * <p>
 * A directory created with a TTL puts its marker on a lease, and every key written
 * through this handle joins that lease, so the directory and its children expire
 * together. In-order keys ({@link #enqueue(Object)}) are named by the marker's version,
 * 20 digits, zero-padded, so their names sort in creation order.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdDirectory {

	private static final Pattern IN_ORDER_NAME = Pattern.compile("\\d{20}");

	private static final int MAX_ATTEMPTS = 16;

	/**
	 * The most keys a refresh moves to a new lease in one transaction: their compares and
	 * their puts each stay within etcd's {@code --max-txn-ops} (128 by default).
	 */
	private static final int MOVE_BATCH = 64;

	/**
	 * The most characters of keys in one such transaction, which carries each key twice,
	 * well within etcd's {@code --max-request-bytes} (1.5 MiB by default).
	 */
	private static final int MOVE_BATCH_KEY_CHARS = 128 * 1024;

	private final KeyValueOperations etcd;

	private final LeaseOperations leases;

	private final String path;

	private final String prefix;

	/**
	 * A directory on the given key/value operations, whose TTLs are leases of the given
	 * lease operations; usually obtained from {@code EtcdOperations.directory(path)}.
	 * @param etcd the key/value operations
	 * @param leases the lease operations
	 * @param path the directory path, without a trailing slash
	 */
	public EtcdDirectory(KeyValueOperations etcd, LeaseOperations leases, String path) {
		Assert.notNull(etcd, "'etcd' must not be null");
		Assert.notNull(leases, "'leases' must not be null");
		Namespace.checkKey(path, "directory path");
		String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		Namespace.checkKey(trimmed, "directory path");
		this.etcd = etcd;
		this.leases = leases;
		this.path = trimmed;
		this.prefix = trimmed + "/";
	}

	/**
	 * The directory's path, without a trailing slash.
	 * @return the path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Create the directory (its marker key).
	 * @return {@code false} when it already existed
	 */
	public boolean create() {
		return this.etcd.putIfAbsent(this.prefix, "");
	}

	/**
	 * Create the directory with a time to live: it and every key written through this
	 * handle expire together unless {@link #refresh(Duration) refreshed}.
	 * @param ttl the time to live
	 * @return {@code false} when it already existed
	 */
	public boolean create(Duration ttl) {
		Lease lease = this.leases.grant(ttl);
		boolean created = false;
		try {
			created = this.etcd.txn()
				.when(Compare.absent(this.prefix))
				.then(TxnOp.put(this.prefix, "", lease.id()))
				.commit()
				.succeeded();
			return created;
		}
		finally {
			if (!created) {
				this.leases.revoke(lease.id());
			}
		}
	}

	/**
	 * Whether the directory exists: its marker or any key under it.
	 * @return whether any key starts with {@code path/}
	 */
	public boolean exists() {
		// One round trip, no data: a create-revision compare over an empty range holds.
		return !this.etcd.txn()
			.when(Compare.createRevision(this.prefix).throughPrefix(this.prefix).isEqualTo(0L))
			.commit()
			.succeeded();
	}

	/**
	 * Store a value under {@code path/name}; it joins the directory's lease, if any.
	 * @param name the name below the directory
	 * @param value the value
	 */
	public void put(String name, Object value) {
		String key = childKey(name);
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			KeyValue marker = this.etcd.getEntry(this.prefix);
			if (marker == null) {
				this.etcd.put(key, value);
				return;
			}
			// The marker's lease may be replaced by a refresh meanwhile: join the one it
			// has.
			if (this.etcd.txn()
				.when(Compare.lease(this.prefix).isEqualTo(marker.lease()))
				.then(TxnOp.put(key, value, marker.lease()))
				.commit()
				.succeeded()) {
				return;
			}
		}
		throw changedConcurrently("put " + PrintableKey.of(key));
	}

	/**
	 * Read the value under {@code path/name}.
	 * @param name the name below the directory
	 * @return the value as text, or {@code null} when missing
	 */
	public @Nullable String get(String name) {
		return this.etcd.get(childKey(name));
	}

	/**
	 * The direct children: keys right under the directory and its subdirectories.
	 * @return the entries in key order
	 */
	public List<DirectoryEntry> list() {
		return list(false);
	}

	/**
	 * The children, or with {@code recursive} every key and subdirectory at any depth.
	 * The keys are read in pages at one revision and bounded as
	 * {@link KeyValueOperations#getPrefix(String)} is.
	 * @param recursive whether to descend into subdirectories
	 * @return the entries in key order
	 */
	public List<DirectoryEntry> list(boolean recursive) {
		Map<String, DirectoryEntry> entries = new LinkedHashMap<>();
		for (KeyValue kv : this.etcd.getPrefix(this.prefix)) {
			String relative = kv.key().substring(this.prefix.length());
			if (relative.isEmpty()) {
				continue;
			}
			int slash = relative.indexOf('/');
			while (slash >= 0) {
				String subdirectory = relative.substring(0, slash);
				entries.putIfAbsent(subdirectory + "/",
						new DirectoryEntry(subdirectory, this.prefix + subdirectory + "/", true, null));
				slash = recursive ? relative.indexOf('/', slash + 1) : -1;
			}
			if ((recursive || relative.indexOf('/') < 0) && !relative.endsWith("/")) {
				entries.put(relative, new DirectoryEntry(relative, kv.key(), false, kv));
			}
		}
		return List.copyOf(entries.values());
	}

	/**
	 * Add an in-order key: a child named by the next sequence number, 20 digits,
	 * zero-padded, unique and greater than every earlier one (also under concurrent
	 * enqueuers). Creates the directory when it does not exist.
	 * @param value the value
	 * @return the created key
	 */
	public KeyValue enqueue(Object value) {
		Assert.notNull(value, "etcd value must not be null");
		for (int attempt = 0; attempt < MAX_ATTEMPTS * 4; attempt++) {
			KeyValue marker = this.etcd.getEntry(this.prefix);
			if (marker == null) {
				create();
				continue;
			}
			// Bump the marker (value and lease kept) and create the child named by the
			// marker's new version, in one transaction that fails if another enqueuer
			// won.
			String child = this.prefix + String.format("%020d", marker.version() + 1);
			TxnResult result = this.etcd.txn()
				.when(Compare.version(this.prefix).isEqualTo(marker.version()), Compare.absent(child))
				.then(TxnOp.touch(this.prefix), TxnOp.put(child, value, marker.lease()), TxnOp.get(child))
				.commit();
			if (result.succeeded()) {
				return result.kvs(2).get(0);
			}
		}
		throw changedConcurrently("enqueue into " + PrintableKey.of(this.prefix));
	}

	/**
	 * The in-order keys, oldest first.
	 * @return the children created by {@link #enqueue(Object)}, in creation order
	 */
	public List<KeyValue> entries() {
		List<KeyValue> entries = new ArrayList<>();
		for (KeyValue kv : this.etcd.getPrefix(this.prefix)) {
			if (IN_ORDER_NAME.matcher(kv.key().substring(this.prefix.length())).matches()) {
				entries.add(kv);
			}
		}
		return entries;
	}

	/**
	 * Give the directory and every key under it a time to live from now: the same lease
	 * is renewed when the TTL is unchanged, otherwise every key moves to a new lease.
	 * First the marker, in a transaction that fails if the marker changed meanwhile, so
	 * that keys put through a handle from then on join the new lease; then the keys under
	 * it, read page by page and moved in transactions of at most {@value #MOVE_BATCH}
	 * keys, each applied only if none of its keys changed since it was read. The old
	 * lease is revoked once every key has left it. A directory of any size is refreshed
	 * this way, with bounded memory, but not in one atomic step: when a refresh fails
	 * midway, the keys not yet moved keep the old lease and expire with it.
	 * @param ttl the time to live
	 * @return {@code false} when the directory marker does not exist
	 */
	public boolean refresh(Duration ttl) {
		Durations.requirePositive(ttl, "TTL");
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			KeyValue marker = this.etcd.getEntry(this.prefix);
			if (marker == null) {
				return false;
			}
			long oldLease = marker.lease();
			if (oldLease != 0 && this.leases.timeToLive(oldLease, false)
				.filter((status) -> status.granted().getSeconds() == (ttl.toMillis() + 999) / 1000)
				.flatMap((status) -> this.leases.keepAliveOnce(oldLease))
				.isPresent()) {
				return true;
			}
			if (moveAllToNewLease(ttl, marker)) {
				return true;
			}
		}
		throw changedConcurrently("refresh " + PrintableKey.of(this.prefix));
	}

	private boolean moveAllToNewLease(Duration ttl, KeyValue marker) {
		Lease lease = this.leases.grant(ttl);
		boolean markerMoved = false;
		try {
			markerMoved = this.etcd.txn()
				.when(Compare.modRevision(this.prefix).isEqualTo(marker.modRevision()))
				.then(TxnOp.setLease(this.prefix, lease.id()))
				.commit()
				.succeeded();
		}
		finally {
			if (!markerMoved) {
				this.leases.revoke(lease.id());
			}
		}
		if (!markerMoved) {
			return false;
		}
		moveChildren(lease.id());
		if (marker.lease() != 0) {
			this.leases.revoke(marker.lease());
		}
		return true;
	}

	/**
	 * Move every key under the directory that is not on the lease yet to it, holding one
	 * page of the read and the names of one batch at a time.
	 */
	private void moveChildren(long leaseId) {
		for (int attempt = 1;; attempt++) {
			Map<String, Long> batch = new LinkedHashMap<>();
			long[] batchChars = { 0 };
			try {
				this.etcd.forEachInPrefix(this.prefix, (kv) -> {
					if (kv.lease() == leaseId) {
						return;
					}
					batch.put(kv.key(), kv.modRevision());
					batchChars[0] += kv.key().length();
					if (batch.size() == MOVE_BATCH || batchChars[0] >= MOVE_BATCH_KEY_CHARS) {
						moveBatch(batch, leaseId);
						batch.clear();
						batchChars[0] = 0;
					}
				});
				moveBatch(batch, leaseId);
				return;
			}
			catch (EtcdCompactedException ex) {
				if (attempt >= 3) {
					throw ex;
				}
				// The read's revision was compacted: read again; keys already moved are
				// skipped.
			}
		}
	}

	private void moveBatch(Map<String, Long> batch, long leaseId) {
		if (batch.isEmpty()) {
			return;
		}
		boolean moved = this.etcd.txn()
			.when(batch.entrySet()
				.stream()
				.map((key) -> Compare.modRevision(key.getKey()).isEqualTo(key.getValue()))
				.toArray(Compare[]::new))
			.then(batch.keySet().stream().map((key) -> TxnOp.setLease(key, leaseId)).toArray(TxnOp[]::new))
			.commit()
			.succeeded();
		if (!moved) {
			// A key changed since it was read: move them one by one as they are now.
			batch.keySet().forEach((key) -> moveOne(key, leaseId));
		}
	}

	private void moveOne(String key, long leaseId) {
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			KeyValue current = this.etcd.getEntry(key);
			if (current == null || current.lease() == leaseId) {
				return;
			}
			if (this.etcd.txn()
				.when(Compare.modRevision(key).isEqualTo(current.modRevision()))
				.then(TxnOp.setLease(key, leaseId))
				.commit()
				.succeeded()) {
				return;
			}
		}
		throw changedConcurrently("refresh " + PrintableKey.of(key));
	}

	/**
	 * Delete the directory only if nothing is under it; atomic.
	 * @return {@code false} when there was no directory marker
	 * @throws EtcdDirectoryNotEmptyException when keys exist under the directory
	 */
	public boolean delete() {
		// Everything under the prefix except the marker itself: from "path/\0" to the
		// prefix's end.
		TxnResult result = this.etcd.txn()
			.when(Compare.createRevision(this.prefix + "\0").throughPrefix(this.prefix).isEqualTo(0L))
			.then(TxnOp.delete(this.prefix))
			// The marker and one child are enough to name an example.
			.otherwise(TxnOp.getPrefix(this.prefix).limit(2))
			.commit();
		if (!result.succeeded()) {
			List<String> children = result.kvs(0)
				.stream()
				.map(KeyValue::key)
				.filter((key) -> !key.equals(this.prefix))
				.toList();
			throw new EtcdDirectoryNotEmptyException("etcd directory '" + PrintableKey.of(this.path)
					+ "' is not empty: " + "keys exist under it, such as '" + PrintableKey.of(children.get(0)) + "'",
					this.prefix);
		}
		return ((TxnResult.OpResult.DeleteResult) result.results().get(0)).deleted() > 0;
	}

	/**
	 * Delete the directory and everything under it, and revoke its lease.
	 * @return how many keys were deleted, the marker included
	 */
	public long deleteRecursive() {
		KeyValue marker = this.etcd.getEntry(this.prefix);
		long deleted = this.etcd.deletePrefix(this.prefix);
		if (marker != null && marker.lease() != 0) {
			try {
				this.leases.revoke(marker.lease());
			}
			catch (EtcdException ex) {
				// Nothing is left on it; it expires on its own.
			}
		}
		return deleted;
	}

	private String childKey(String name) {
		Namespace.checkKey(name, "name");
		return this.prefix + name;
	}

	private EtcdPreconditionFailedException changedConcurrently(String what) {
		return new EtcdPreconditionFailedException("etcd directory '" + PrintableKey.of(this.path) + "' changed "
				+ MAX_ATTEMPTS + " times while trying to " + what + "; try again", "directory", this.prefix, null,
				null);
	}

	@Override
	public String toString() {
		return "EtcdDirectory[" + PrintableKey.of(this.path) + "]";
	}

}
