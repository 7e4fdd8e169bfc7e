package org.etcdspring.stm;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.KeyValue;

/**
 * What an {@link StmFunction} reads and writes through: reads are recorded with the
 * revision of the key they saw, writes are buffered until the function returns. A read of
 * a key written earlier in the same attempt returns the buffered value.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public interface StmTransaction {

	/**
	 * Read a value as UTF-8 text.
	 * @param key the key
	 * @return the value, or {@code null} when the key does not exist
	 */
	@Nullable String get(String key);

	/**
	 * Read a value as the given type ({@code String}, {@code byte[]} or a type read from
	 * JSON).
	 * @param key the key
	 * @param type the type
	 * @param <T> the type
	 * @return the value, or {@code null} when the key does not exist
	 */
	<T> @Nullable T get(String key, Class<T> type);

	/**
	 * Read a key with its revisions, as the transaction sees it (not buffered writes).
	 * @param key the key
	 * @return the entry, or {@code null} when the key does not exist
	 */
	@Nullable KeyValue getEntry(String key);

	/**
	 * Buffer a write of a value, converted like
	 * {@link org.etcdspring.core.KeyValueOperations#put(String, Object)}.
	 * @param key the key
	 * @param value the value
	 */
	void put(String key, Object value);

	/**
	 * Buffer the deletion of a key.
	 * @param key the key
	 */
	void delete(String key);

}
