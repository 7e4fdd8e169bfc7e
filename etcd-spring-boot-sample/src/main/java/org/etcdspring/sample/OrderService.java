package org.etcdspring.sample;

import org.etcdspring.EtcdOperations;
import org.etcdspring.lock.EtcdLock;

import org.springframework.stereotype.Service;

/**
 * Ships an order at most once at a time across every instance: the shipping runs under
 * the distributed lock {@code order-<id>}.
 *
 * @author etcd-spring
 */
@Service
class OrderService {

	private final EtcdOperations etcd;

	OrderService(EtcdOperations etcd) {
		this.etcd = etcd;
	}

	@EtcdLock(key = "'order-' + #id", waitTime = "5s")
	long ship(long id) {
		// A read-modify-write that would lose updates without the lock.
		String key = "orders/" + id + "/shipments";
		Long shipments = this.etcd.get(key, Long.class);
		long next = ((shipments != null) ? shipments : 0) + 1;
		this.etcd.put(key, next);
		return next;
	}

}
