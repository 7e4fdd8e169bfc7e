package org.etcdspring.core;

/**
 * Thrown when the keys and values under a prefix add up to more than a reader may hold in
 * memory ({@code EtcdTemplate.setMaxPrefixBytes}); nothing is returned. Read such a
 * prefix with {@link KeyValueOperations#forEachInPrefix}, which holds one page at a time,
 * or raise the limit.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdPrefixTooLargeException extends EtcdException {

	private final long maxBytes;

	public EtcdPrefixTooLargeException(String message, String key, long maxBytes) {
		super(message, "range", key, null, null);
		this.maxBytes = maxBytes;
	}

	/**
	 * The limit that was exceeded.
	 * @return the most bytes of keys and values the reader may hold
	 */
	public long getMaxBytes() {
		return this.maxBytes;
	}

}
