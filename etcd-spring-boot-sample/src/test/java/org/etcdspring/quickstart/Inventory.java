package org.etcdspring.quickstart;

import org.etcdspring.EtcdOperations;
import org.etcdspring.core.KeyValue;
import org.etcdspring.leader.EtcdLeader;
import org.etcdspring.lock.EtcdLock;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

// The README shows this code as it is here, comments aligned: the formatter leaves it alone.
// @formatter:off
// tag::quickstart[]
@Service
public class Inventory {

	private final EtcdOperations etcd;

	public Inventory(EtcdOperations etcd) {
		this.etcd = etcd;
	}

	public void restock(String item, int count) {
		this.etcd.put("stock/" + item, count);                        // stored as JSON: 12
	}

	public Integer stock(String item) {
		return this.etcd.get("stock/" + item, Integer.class);         // null when missing
	}

	@EtcdLock(key = "'stock-' + #item", waitTime = "5s")             // one caller at a time, cluster-wide
	public boolean take(String item) {
		KeyValue entry = this.etcd.getEntry("stock/" + item);         // value + revisions + lease
		int left = Integer.parseInt(entry.valueAsString());
		return left > 0 && this.etcd.compareAndSetRevision("stock/" + item, entry.modRevision(), left - 1);
	}

	@Scheduled(fixedDelay = 60_000)
	@EtcdLeader("inventory-report")                                 // runs on the elected instance only
	public void report() {
		this.etcd.put("reports/inventory", this.etcd.getPrefix("stock/").size());
	}

}
// end::quickstart[]
// @formatter:on
