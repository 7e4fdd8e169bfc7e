package org.etcdspring.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The operations on etcd's key/value store: reads, writes, compare-and-swap, transactions
 * and keys with a time to live. The layer that the recipes (directories, locks,
 * elections, caches, software transactions) are built on; implemented by
 * {@code org.etcdspring.EtcdTemplate}, which adds them to the rest of etcd. An interface
 * so that callers can be tested with a stand-in.
 *
 * <p>
 * Values: a {@code String} is stored as UTF-8 text, a {@code byte[]} as is, any other
 * object as JSON. Keys must not be null or empty and values must not be null: such calls
 * fail with {@link IllegalArgumentException} before any request is sent. Failures of etcd
 * itself are {@link EtcdException}s.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public interface KeyValueOperations {

	/**
	 * Store a value under a key, creating or replacing it.
	 * @param key the key
	 * @param value the value
	 */
	void put(String key, Object value);

	/**
	 * Read a value as UTF-8 text.
	 * @param key the key
	 * @return the value, or {@code null} when the key does not exist
	 */
	@Nullable String get(String key);

	/**
	 * Read a value as the given type: {@code String}, {@code byte[]}, or any type read
	 * from JSON.
	 * @param key the key
	 * @param type the type
	 * @param <T> the type
	 * @return the value, or {@code null} when the key does not exist
	 */
	<T> @Nullable T get(String key, Class<T> type);

	/**
	 * Read a key with its revisions and lease.
	 * @param key the key
	 * @return the entry, or {@code null} when the key does not exist
	 */
	@Nullable KeyValue getEntry(String key);

	/**
	 * Read every key that starts with the prefix, in key order. The keys are read in
	 * pages, all at one revision, so the result is consistent; a prefix holding more than
	 * the template's limit ({@code EtcdTemplate.setMaxPrefixBytes}) fails with an
	 * {@link EtcdPrefixTooLargeException} rather than exhausting the heap. Each page's
	 * answer is bounded in bytes; a single entry larger than a page may be fails with an
	 * {@link EtcdResponseTooLargeException} naming its key.
	 * @param prefix the prefix
	 * @return the entries, empty when none
	 */
	List<KeyValue> getPrefix(String prefix);

	/**
	 * Read every key that starts with the prefix, in key order, with the revision they
	 * were read at (to watch from the next one without missing a change). Paged and
	 * bounded as {@link #getPrefix(String)}.
	 * @param prefix the prefix
	 * @return the entries and their revision
	 */
	PrefixSnapshot getPrefixSnapshot(String prefix);

	/**
	 * Hand every key that starts with the prefix to the action, in key order, page by
	 * page at one revision, holding one page at a time: for prefixes too large for
	 * {@link #getPrefix(String)}.
	 * @param prefix the prefix
	 * @param action receives each entry; an exception it throws ends the read
	 * @return the revision the entries were read at
	 * @throws EtcdCompactedException when etcd compacted that revision before the last
	 * page (the entries handed over so far are a consistent but partial view)
	 * @throws EtcdResponseTooLargeException when a single entry is larger than a page may
	 * be
	 */
	long forEachInPrefix(String prefix, Consumer<? super KeyValue> action);

	/**
	 * Delete a key.
	 * @param key the key
	 * @return whether the key existed
	 */
	boolean delete(String key);

	/**
	 * Delete every key that starts with the prefix.
	 * @param prefix the prefix
	 * @return how many keys were deleted
	 */
	long deletePrefix(String prefix);

	/**
	 * Store a value only if the key does not exist.
	 * @param key the key
	 * @param value the value
	 * @return whether the value was stored
	 */
	boolean putIfAbsent(String key, Object value);

	/**
	 * Store a value only if the key exists.
	 * @param key the key
	 * @param value the value
	 * @return whether the value was stored
	 */
	boolean replace(String key, Object value);

	/**
	 * Store a value only if the current value equals the expected one.
	 * @param key the key
	 * @param expected the value the key must hold
	 * @param value the new value
	 * @return whether the value was stored
	 */
	boolean compareAndSet(String key, Object expected, Object value);

	/**
	 * Store a value only if the key was last changed at the given revision; revision
	 * {@code 0} means the key must not exist.
	 * @param key the key
	 * @param modRevision the key's expected {@link KeyValue#modRevision()}
	 * @param value the new value
	 * @return whether the value was stored
	 */
	boolean compareAndSetRevision(String key, long modRevision, Object value);

	/**
	 * Delete a key only if its value equals the expected one.
	 * @param key the key
	 * @param expected the value the key must hold
	 * @return whether the key was deleted
	 */
	boolean compareAndDelete(String key, Object expected);

	/**
	 * Delete a key only if it was last changed at the given revision.
	 * @param key the key
	 * @param modRevision the key's expected {@link KeyValue#modRevision()}
	 * @return whether the key was deleted
	 */
	boolean compareAndDeleteRevision(String key, long modRevision);

	/**
	 * Start a transaction: conditions, then the operations to run when they hold and
	 * those to run when they do not.
	 * @return a new transaction
	 */
	Txn txn();

	/**
	 * Store a value that expires: the key is attached to a lease of its own with the
	 * given time to live.
	 * @param key the key
	 * @param value the value
	 * @param ttl the time to live, at least one second (etcd counts whole seconds)
	 */
	void put(String key, Object value, Duration ttl);

	/**
	 * Restore a key's full time to live (a keep-alive of its lease).
	 * @param key the key
	 * @return {@code false} when the key does not exist (or its lease just expired)
	 */
	boolean refresh(String key);

	/**
	 * Give a key a new time to live, keeping its value: the key moves to a new lease in
	 * one transaction (its mod revision moves on by one), and its old lease is revoked
	 * when no other key uses it.
	 * @param key the key
	 * @param ttl the new time to live
	 * @return {@code false} when the key does not exist
	 */
	boolean refresh(String key, Duration ttl);

	/**
	 * Remove a key's time to live, keeping its value.
	 * @param key the key
	 * @return {@code false} when the key does not exist
	 */
	boolean persist(String key);

	/**
	 * The time a key has left before it expires.
	 * @param key the key
	 * @return the remaining time, or empty when the key does not exist or has no TTL
	 */
	Optional<Duration> ttl(String key);

	/**
	 * A view of these operations whose reads use another consistency.
	 * @param consistency the read consistency
	 * @return the view
	 */
	KeyValueOperations withConsistency(ReadConsistency consistency);

}
