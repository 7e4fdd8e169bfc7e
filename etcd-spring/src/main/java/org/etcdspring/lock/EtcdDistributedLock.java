package org.etcdspring.lock;

import org.springframework.integration.support.locks.DistributedLock;

/**
 * An {@link EtcdMutex} that is Spring Integration's {@link DistributedLock}: what
 * {@link EtcdLocks} hands out whenever Spring Integration is on the class path. A class
 * of its own so that {@code EtcdMutex}, and everything that mentions it, loads without
 * Spring Integration.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdDistributedLock extends EtcdMutex implements DistributedLock {

	EtcdDistributedLock(EtcdLocks locks, String name, String keyPrefix, String ownerValue) {
		super(locks, name, keyPrefix, ownerValue);
	}

}
