package org.etcdspring.integration;

/**
 * Message headers set by the etcd Spring Integration components.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdHeaders {

	private static final String PREFIX = "etcd_";

	/**
	 * The key that changed (without the client's namespace).
	 */
	public static final String KEY = PREFIX + "key";

	/**
	 * The revision of the change ({@code long}).
	 */
	public static final String REVISION = PREFIX + "revision";

	/**
	 * {@code PUT} or {@code DELETE} ({@link org.etcdspring.watch.WatchEvent.Type}).
	 */
	public static final String EVENT_TYPE = PREFIX + "eventType";

	/**
	 * The previous value as text, when the watch asked for previous values and there was
	 * one.
	 */
	public static final String PREVIOUS_VALUE = PREFIX + "previousValue";

	private EtcdHeaders() {
	}

}
