package org.etcdspring.benchmarks.clients;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import org.etcdspring.core.Compare;
import org.etcdspring.core.EtcdTemplate;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.TxnResult;
import org.etcdspring.lease.EtcdSession;

/**
 * Our side of the lock workload: etcd's {@code concurrency.Mutex} recipe written directly
 * on {@link EtcdTemplate} and an {@link EtcdSession}. Acquiring is one transaction: if
 * the create revision of {@code <name>/<lease hex>} is 0, put it on the session's lease;
 * either way read the holders; the holder with the smallest create revision owns the
 * lock. Releasing deletes the key. Two HTTP calls per lock and unlock, as jetcd's Lock
 * service makes two gRPC calls.
 *
 * <p>
 * The recipe reads the single oldest holder (sorted by create revision, limit 1); the
 * template's transaction builder has no sort or limit, so the whole prefix is read,
 * which is the same single key when the lock is uncontended, the only case measured.
 *
 * <p>
 * TODO(EtcdMutex): measure {@code org.etcdspring.lock.EtcdMutex} obtained from
 * {@code EtcdLockRegistry} instead once the lock branch has landed, and delete this
 * class.
 *
 * @author etcd-spring
 */
final class TemplateMutexLockClient implements LockClient {

	private final EtcdTemplate template;

	private final EtcdSession session;

	private final String leaseHex;

	TemplateMutexLockClient(EtcdTemplate template, Duration ttl) {
		this.template = template;
		this.session = EtcdSession.open(template.leases(), ttl, (leaseId, reason, cause) -> System.err
			.println("etcd-spring lock session lost: " + reason));
		this.leaseHex = Long.toHexString(this.session.leaseId());
	}

	@Override
	public Held lock(String name) {
		String prefix = name + "/";
		String key = prefix + this.leaseHex;
		TxnResult result = this.template.txn()
			.when(Compare.createRevision(key).isEqualTo(0L))
			.then(TxnOp.put(key, "", this.session.leaseId()), TxnOp.getPrefix(prefix))
			.otherwise(TxnOp.get(key), TxnOp.getPrefix(prefix))
			.commit();
		List<KeyValue> holders = result.kvs(1);
		KeyValue owner = holders.stream().min(Comparator.comparingLong(KeyValue::createRevision)).orElseThrow();
		if (!owner.key().equals(key)) {
			throw new IllegalStateException("Lock '" + name + "' is held by " + owner.key()
					+ ": the benchmark measures uncontended locks only");
		}
		return () -> this.template.delete(key);
	}

	@Override
	public void close() {
		this.session.close();
	}

}
