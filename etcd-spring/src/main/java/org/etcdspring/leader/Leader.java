package org.etcdspring.leader;

import org.etcdspring.core.KeyValue;

/**
 * The leader of an election, as stored in etcd.
 *
 * @param key the leader's key, {@code <prefix><role>/<lease id in hex>}
 * @param value the leader's proposal, such as its host and process ID
 * @param revision the create revision of the leader's key: it grows with every new
 * leader, so it can fence writes of a former leader
 * @param lease the ID of the lease the leader's key is attached to
 * @author etcd-spring
 * @since 0.1.0
 */
public record Leader(String key, String value, long revision, long lease) {

	static Leader of(KeyValue kv) {
		return new Leader(kv.key(), kv.valueAsString(), kv.createRevision(), kv.lease());
	}

}
