package org.etcdspring.lock;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A waiter whose enqueue etcd did not answer, and whose clean-up failed too, on a shared
 * session that another held lock keeps alive: once etcd is back, its key is read and
 * deleted in the background within one time to live, so another process takes the lock,
 * instead of the key living on at the head of the queue with the shared lease.
 * <p>
 * The enqueue whose answer was lost is the put of the waiter's key before the member went
 * down: the test writes that key itself, then kills the member (SIGKILL, so that no
 * request of the failed attempt is applied when it comes back, as a stopped member may
 * do) and restarts it on its data.
 */
class WaiterCleanupWhileMemberDownIntegrationTests {

	private static final Duration TTL = Duration.ofSeconds(20);

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void waiterKeyWhoseCleanupFailedShouldBeDeletedOnceEtcdIsBack() throws Exception {
		EtcdMember member = etcd.cluster().member(0);
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint())))
			.requestTimeout(Duration.ofSeconds(1))
			.build(); EtcdTemplate template = new EtcdTemplate(transport)) {
			EtcdLocks locks = new EtcdLocks(template, template.leases(), template, "waiter-cleanup/");
			EtcdLocks otherProcess = new EtcdLocks(template, template.leases(), template, "waiter-cleanup/");
			try {
				locks.setTtl(TTL);
				EtcdMutex keeper = locks.obtain("keeper");
				keeper.lock();
				long sharedLease = ReleaseWhileMemberStoppedIntegrationTests.leaseOf(keeper.ownerKey());
				EtcdMutex waited = locks.obtain("waited");
				// The waiter's key on the shared lease, as its lost enqueue left it.
				String key = "waiter-cleanup/waited/" + Long.toHexString(sharedLease);
				template.txn().then(TxnOp.put(key, "", sharedLease)).commit();
				member.kill();
				try {
					// Neither the enqueue nor the clean-up reaches etcd.
					assertThatExceptionOfType(EtcdException.class)
						.isThrownBy(() -> waited.tryLock(10, TimeUnit.SECONDS));
				}
				finally {
					member.restart();
				}
				assertThat(waited.isLocked()).isFalse();
				ReleaseWhileMemberStoppedIntegrationTests.assertRemovedInBackground(template, key, TTL, sharedLease,
						keeper, otherProcess.obtain("waited"));
			}
			finally {
				otherProcess.close();
				locks.close();
			}
		}
	}

}
