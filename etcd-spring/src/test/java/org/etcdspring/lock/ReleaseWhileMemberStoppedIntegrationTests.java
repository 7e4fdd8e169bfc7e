package org.etcdspring.lock;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.Eventually;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lock released while etcd does not answer (its member stopped with SIGSTOP), on a
 * shared session that another held lock keeps alive: once etcd is back, the released key
 * is deleted in the background within one time to live, so another process takes the
 * lock, instead of the key living on with the shared lease. The same for a release that
 * keeps the lock taken for a while ({@code @EtcdLock(holdAtLeast)}).
 */
class ReleaseWhileMemberStoppedIntegrationTests {

	private static final Duration TTL = Duration.ofSeconds(10);

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void releaseThatFailedShouldBeRetriedUntilTheKeyIsGone() throws Exception {
		// Fails on the stopped member: the lock is given back here, its key later.
		releaseWhileTheMemberIsStopped("release-retry/", EtcdMutex::unlock);
	}

	@Test
	void releaseKeepingTheLockTakenThatFailedShouldNotLeaveTheKeyOnTheSharedLease() throws Exception {
		// The lease to keep it on cannot be granted: given back here (no exception), its
		// key later.
		releaseWhileTheMemberIsStopped("release-kept-retry/", (released) -> released.unlock(Duration.ofSeconds(5)));
	}

	private void releaseWhileTheMemberIsStopped(String prefix, Consumer<EtcdMutex> release) throws Exception {
		EtcdMember member = etcd.cluster().member(0);
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint())))
			.requestTimeout(Duration.ofSeconds(1))
			.build(); EtcdTemplate template = new EtcdTemplate(transport)) {
			EtcdLocks locks = new EtcdLocks(template, template.leases(), template, prefix);
			EtcdLocks otherProcess = new EtcdLocks(template, template.leases(), template, prefix);
			try {
				locks.setTtl(TTL);
				EtcdMutex keeper = locks.obtain("keeper");
				keeper.lock();
				EtcdMutex released = locks.obtain("released");
				released.lock();
				String key = released.ownerKey();
				long sharedLease = template.leases().timeToLive(leaseOf(key), false).orElseThrow().id();
				member.pause();
				try {
					release.accept(released);
				}
				finally {
					member.resume();
				}
				assertThat(released.isHeld()).isFalse();
				assertRemovedInBackground(template, key, TTL, sharedLease, keeper, otherProcess.obtain("released"));
			}
			finally {
				otherProcess.close();
				locks.close();
			}
		}
	}

	/**
	 * The key is deleted in the background within one time to live, not by the expiry of
	 * the shared lease, which lives on with the keeper's hold; then another process takes
	 * the lock.
	 */
	static void assertRemovedInBackground(EtcdTemplate template, String key, Duration ttl, long sharedLease,
			EtcdMutex keeper, EtcdMutex otherProcessLock) throws InterruptedException {
		Duration took = Eventually.within(ttl, () -> template.get(key) == null);
		assertThat(took).isLessThan(ttl);
		assertThat(template.leases().timeToLive(sharedLease, false)).isPresent();
		assertThat(keeper.isHeld()).isTrue();
		assertThat(otherProcessLock.tryLock(10, TimeUnit.SECONDS)).isTrue();
		otherProcessLock.unlock();
		keeper.unlock();
	}

	static long leaseOf(String ownerKey) {
		return Long.parseUnsignedLong(ownerKey.substring(ownerKey.lastIndexOf('/') + 1), 16);
	}

}
