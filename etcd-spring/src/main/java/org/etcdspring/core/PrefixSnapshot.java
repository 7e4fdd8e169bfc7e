package org.etcdspring.core;

import java.util.List;

import org.springframework.util.Assert;

/**
 * Every key under a prefix as of one store revision.
 *
 * @param keyValues the entries, in key order
 * @param revision the store revision they were read at
 * @author etcd-spring
 * @since 0.1.0
 */
public record PrefixSnapshot(List<KeyValue> keyValues, long revision) {

	public PrefixSnapshot {
		Assert.notNull(keyValues, "'keyValues' must not be null");
		keyValues = List.copyOf(keyValues);
	}

}
