package org.etcdspring.boot.autoconfigure;

/**
 * Thrown when an {@code etcd.peers} entry is not a usable etcd client URL.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class InvalidEtcdPeerException extends IllegalArgumentException {

	private final String property;

	private final String value;

	private final String reason;

	public InvalidEtcdPeerException(String property, String value, String reason) {
		super("Invalid etcd peer '" + value + "' in '" + property + "': " + reason);
		this.property = property;
		this.value = value;
		this.reason = reason;
	}

	/**
	 * The property that holds the entry, such as {@code etcd.peers[1]}.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * The malformed entry.
	 * @return the value
	 */
	public String getValue() {
		return this.value;
	}

	/**
	 * What is wrong with the entry.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
