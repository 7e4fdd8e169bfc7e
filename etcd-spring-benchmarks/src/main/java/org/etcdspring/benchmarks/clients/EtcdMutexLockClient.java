package org.etcdspring.benchmarks.clients;

import java.time.Duration;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.lock.EtcdLocks;
import org.etcdspring.lock.EtcdMutex;

/**
 * Our side of the lock workload: {@link EtcdMutex} from the template's {@link EtcdLocks},
 * held on their kept-alive session lease, as {@code etcd.lock(name)} gives it to an
 * application.
 *
 * @author etcd-spring
 */
final class EtcdMutexLockClient implements LockClient {

	private final EtcdLocks locks;

	EtcdMutexLockClient(EtcdTemplate template, Duration ttl) {
		this.locks = new EtcdLocks(template, template.leases(), template, "benchmark-locks/");
		this.locks.setTtl(ttl);
	}

	@Override
	public Held lock(String name) {
		// Lock names are single path segments (a lock "a" would wait on the keys of
		// "a/b").
		EtcdMutex mutex = this.locks.obtain(name.replace('/', '-'));
		if (!mutex.tryLock()) {
			throw new IllegalStateException(
					"Lock '" + name + "' is held elsewhere: the benchmark measures uncontended locks only");
		}
		return mutex::unlock;
	}

	@Override
	public void close() {
		this.locks.close();
	}

}
