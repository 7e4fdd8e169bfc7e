package org.etcdspring.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One key and its value as stored in etcd, with the revisions that describe its history.
 *
 * @param key the key, without the client's namespace
 * @param value the raw value bytes
 * @param createRevision the revision at which the key was created (its "index" in etcd v2
 * terms); also the fencing token of a lock owner key
 * @param modRevision the revision of the last change to the key
 * @param version the number of changes since the key was created (1 after creation)
 * @param lease the ID of the lease the key is attached to, or {@code 0} for none
 * @author etcd-spring
 * @since 0.1.0
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version, long lease) {

	/**
	 * The value decoded as UTF-8 text.
	 * @return the value as a string
	 */
	public String valueAsString() {
		return new String(this.value, StandardCharsets.UTF_8);
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof KeyValue that) && this.key.equals(that.key) && Arrays.equals(this.value, that.value)
				&& this.createRevision == that.createRevision && this.modRevision == that.modRevision
				&& this.version == that.version && this.lease == that.lease;
	}

	@Override
	public int hashCode() {
		return 31 * this.key.hashCode() + Long.hashCode(this.modRevision);
	}

	@Override
	public String toString() {
		return "KeyValue[key=" + PrintableKey.of(this.key) + ", value=" + this.value.length + " bytes, createRevision="
				+ this.createRevision + ", modRevision=" + this.modRevision + ", version=" + this.version + ", lease="
				+ this.lease + "]";
	}

}
