package org.etcdspring.lease;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kept-alive lease whose member stops answering (SIGSTOP) is given up at its local
 * deadline, its time to live after the last renewal was sent: not after a renewal call
 * that waits the whole request timeout, and not after another lease's renewal.
 */
class LeaseDeadlineIntegrationTests {

	private static final Duration TTL = Duration.ofSeconds(3);

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void leaseShouldBeLostAtItsLocalDeadlineWhileRenewalsHang() throws Exception {
		EtcdMember member = etcd.cluster().member(0);
		// A request timeout far longer than the TTL: a renewal that waited it out would
		// be late.
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint())))
			.requestTimeout(Duration.ofSeconds(20))
			.build(); EtcdTemplate template = new EtcdTemplate(transport)) {
			EtcdLeases leases = template.leases();
			CountDownLatch lost = new CountDownLatch(1);
			AtomicLong lostAt = new AtomicLong();
			LeaseKeepAlive shortLease = leases.keepAlive(leases.grant(TTL), (id, reason, cause) -> {
				lostAt.set(System.nanoTime());
				lost.countDown();
			});
			CountDownLatch longLost = new CountDownLatch(1);
			LeaseKeepAlive longLease = leases.keepAlive(leases.grant(Duration.ofSeconds(30)),
					(id, reason, cause) -> longLost.countDown());
			try {
				Thread.sleep(1500);
				member.pause();
				long pausedAt = System.nanoTime();
				try {
					assertThat(lost.await(20, TimeUnit.SECONDS)).isTrue();
					assertThat(shortLease.isAlive()).isFalse();
					long deadline = shortLease.aliveUntilNanos();
					// Told on time: the deadline was at most one TTL after the pause
					// began.
					assertThat(deadline - pausedAt).isLessThanOrEqualTo(TTL.toNanos());
					assertThat(Duration.ofNanos(lostAt.get() - deadline)).isLessThan(Duration.ofSeconds(2));
					assertThat(longLease.isAlive()).isTrue();
					assertThat(longLost.getCount()).isOne();
				}
				finally {
					member.resume();
				}
			}
			finally {
				shortLease.close();
				longLease.close();
			}
		}
	}

}
