package org.etcdspring.lease;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.SharedEtcdTemplate;
import org.etcdspring.test.EtcdLocalCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link EtcdLeases} against a real etcd process.
 */
@Tag("wire-format")
class EtcdLeasesIntegrationTests extends SharedEtcdTemplate {

	@Test
	void grantShouldReturnALiveLeaseWithItsTtl() {
		Lease lease = template.leases().grant(Duration.ofSeconds(30));
		assertThat(lease.ttl()).isEqualTo(Duration.ofSeconds(30));
		LeaseStatus status = template.leases().timeToLive(lease.id(), true).orElseThrow();
		assertThat(status.granted()).isEqualTo(Duration.ofSeconds(30));
		assertThat(status.remaining()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
		assertThat(status.keys()).isEmpty();
	}

	@Test
	void fractionalTtlShouldBeRoundedUpToWholeSeconds() {
		assertThat(template.leases().grant(Duration.ofMillis(1500)).ttl()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void badTtlShouldBeRejectedBeforeAnyCall() {
		assertThatIllegalArgumentException().isThrownBy(() -> template.leases().grant(Duration.ZERO))
			.withMessageContaining("TTL");
		assertThatIllegalArgumentException().isThrownBy(() -> template.leases().grant(Duration.ofSeconds(-1)));
	}

	@Test
	void revokeShouldDeleteAttachedKeysAndReportMissingLeases() {
		Lease lease = template.leases().grant(Duration.ofSeconds(30));
		template.txn().then(org.etcdspring.core.TxnOp.put("lease/attached", "v", lease.id())).commit();
		assertThat(template.leases().timeToLive(lease.id(), true).orElseThrow().keys())
			.containsExactly("lease/attached");
		assertThat(template.leases().revoke(lease.id())).isTrue();
		assertThat(template.get("lease/attached")).isNull();
		assertThat(template.leases().revoke(lease.id())).isFalse();
		assertThat(template.leases().timeToLive(lease.id(), false)).isEmpty();
		assertThat(template.leases().keepAliveOnce(lease.id())).isEmpty();
	}

	@Test
	void keepAliveOnceShouldRestoreTheFullTtl() throws Exception {
		Lease lease = template.leases().grant(Duration.ofSeconds(5));
		Thread.sleep(1200);
		assertThat(template.leases().timeToLive(lease.id(), false).orElseThrow().remaining())
			.isLessThan(Duration.ofSeconds(5));
		assertThat(template.leases().keepAliveOnce(lease.id())).contains(Duration.ofSeconds(5));
		assertThat(template.leases().timeToLive(lease.id(), false).orElseThrow().remaining())
			.isGreaterThanOrEqualTo(Duration.ofSeconds(4));
	}

	@Test
	void keepAliveShouldKeepALeaseAliveWellPastItsTtl() throws Exception {
		Lease lease = template.leases().grant(Duration.ofSeconds(2));
		RecordingListener listener = new RecordingListener();
		try (LeaseKeepAlive keepAlive = template.leases().keepAlive(lease, listener)) {
			Thread.sleep(5000);
			assertThat(keepAlive.isAlive()).isTrue();
			assertThat(template.leases().timeToLive(lease.id(), false)).isPresent();
			assertThat(listener.lost).isEmpty();
		}
		assertThat(((EtcdLeases) template.leases()).keepAliveCount()).isZero();
	}

	@Test
	void leaseRevokedFromOutsideShouldBeReportedLostWithinOneRenewal() throws Exception {
		Lease lease = template.leases().grant(Duration.ofSeconds(3));
		RecordingListener listener = new RecordingListener();
		LeaseKeepAlive keepAlive = template.leases().keepAlive(lease, listener);
		EtcdAdmin.revokeLease(etcd.endpoint(), lease.id());
		// Renewals run every TTL / 3 = 1 s.
		assertThat(listener.lostLatch.await(2, TimeUnit.SECONDS)).isTrue();
		assertThat(keepAlive.isAlive()).isFalse();
		assertThat(listener.lost).singleElement().asString().contains("no longer has lease");
		RecordingListener late = new RecordingListener();
		keepAlive.addListener(late);
		assertThat(late.lost).hasSize(1);
	}

	@Test
	void removedListenerShouldNotBeToldOfTheLoss() throws Exception {
		RecordingListener kept = new RecordingListener();
		RecordingListener removed = new RecordingListener();
		try (EtcdSession session = EtcdSession.open(template.leases(), Duration.ofSeconds(3), kept)) {
			session.addListener(removed);
			session.removeListener(removed);
			EtcdAdmin.revokeLease(etcd.endpoint(), session.leaseId());
			assertThat(kept.lostLatch.await(2, TimeUnit.SECONDS)).isTrue();
			assertThat(session.isAlive()).isFalse();
			assertThat(removed.lost).isEmpty();
		}
	}

	@Test
	void leaseThatCannotBeRenewedShouldReportEachFailureThenItsLoss() throws Exception {
		try (EtcdLocalCluster paused = EtcdLocalCluster.start(1);
				EtcdTransport pausedTransport = EtcdTransport.builder(List.of(URI.create(paused.endpoint())))
					.requestTimeout(Duration.ofMillis(500))
					.build();
				EtcdTemplate pausedTemplate = new EtcdTemplate(pausedTransport)) {
			Lease lease = pausedTemplate.leases().grant(Duration.ofSeconds(2));
			RecordingListener listener = new RecordingListener();
			long start = System.nanoTime();
			pausedTemplate.leases().keepAlive(lease, listener);
			paused.member(0).pause();
			try {
				assertThat(listener.lostLatch.await(5, TimeUnit.SECONDS)).isTrue();
			}
			finally {
				paused.member(0).resume();
			}
			Duration lostAfter = Duration.ofNanos(System.nanoTime() - start);
			assertThat(lostAfter).isLessThan(Duration.ofMillis(3000));
			assertThat(listener.failures).isNotEmpty();
			assertThat(listener.lost).singleElement().asString().contains("not renewed before");
		}
	}

	static final class RecordingListener implements LeaseListener {

		final List<String> lost = new CopyOnWriteArrayList<>();

		final List<EtcdException> failures = new CopyOnWriteArrayList<>();

		final CountDownLatch lostLatch = new CountDownLatch(1);

		@Override
		public void leaseLost(long leaseId, String reason, EtcdException cause) {
			this.lost.add(reason);
			this.lostLatch.countDown();
		}

		@Override
		public void keepAliveFailed(long leaseId, EtcdException failure) {
			this.failures.add(failure);
		}

	}

}
