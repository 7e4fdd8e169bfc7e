package org.etcdspring.leader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.etcdspring.lease.EtcdLeases;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.Eventually;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEvent;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.DefaultLeaderEventPublisher;
import org.springframework.integration.leader.event.OnFailedToAcquireMutexEvent;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link EtcdLeaderInitiator} against a real etcd process: contenders with a
 * session each, like separate application instances.
 */
class EtcdLeaderInitiatorIntegrationTests extends SharedEtcdTemplate {

	private static final Duration TTL = Duration.ofSeconds(2);

	private static final Duration TTL_AND_A_SECOND = TTL.plusSeconds(1);

	private final List<Contestant> contestants = new ArrayList<>();

	@AfterEach
	void stopContestantsLeavingNothingBehind() throws Exception {
		this.contestants.forEach(Contestant::close);
		Eventually.within(Duration.ofSeconds(5), () -> template.getWatches().activeCount() == 0);
		assertThat(((EtcdLeases) template.leases()).keepAliveCount()).isZero();
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.getName().startsWith("etcd-leader-"));
		assertThat(template.getPrefix(Election.DEFAULT_PREFIX)).isEmpty();
	}

	/**
	 * The contestant that leads, once one other than the given one does: read once, so
	 * that a later change of leader cannot slip between the check and the use.
	 */
	private static Contestant awaitLeaderOtherThan(List<Contestant> contestants, Contestant previous)
			throws InterruptedException {
		long deadline = System.nanoTime() + TTL_AND_A_SECOND.toNanos();
		while (true) {
			Contestant leader = leaderOf(contestants);
			if (leader != null && leader != previous) {
				return leader;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("no leader other than " + previous + " within " + TTL_AND_A_SECOND);
			}
			Thread.sleep(10);
		}
	}

	@Test
	void ofThreeContendersAtMostOneShouldLeadAtAnyTimeAndOneWithinTheTtl() throws Exception {
		List<Contestant> three = List.of(contestant("three", "a"), contestant("three", "b"), contestant("three", "c"));
		AtomicInteger mostAtOnce = new AtomicInteger();
		AtomicInteger samples = new AtomicInteger();
		Thread sampler = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				// The three reads are not one instant: a sampler descheduled between them
				// (2 busy
				// cores) can see the old leader before a hand-over and the new one after
				// it. Two
				// leaders count only when two reads in a row still see them.
				int leaders = leaders(three);
				if (leaders > 1) {
					leaders = Math.min(leaders, leaders(three));
				}
				mostAtOnce.accumulateAndGet(leaders, Math::max);
				samples.incrementAndGet();
				LockSupport.parkNanos(100_000);
			}
		}, "leader-sampler");
		sampler.start();
		try {
			three.forEach(Contestant::start);
			Contestant leader = awaitLeaderOtherThan(three, null);
			// Hand the role around: by yielding twice, then by stopping the leader.
			for (int round = 0; round < 2; round++) {
				leader.initiator.getContext().yield();
				leader = awaitLeaderOtherThan(three, leader);
			}
			leader.initiator.stop();
			awaitLeaderOtherThan(three, leader);
		}
		finally {
			sampler.interrupt();
			sampler.join();
		}
		assertThat(samples.get()).isGreaterThan(100);
		assertThat(mostAtOnce.get()).isEqualTo(1);
	}

	private static int leaders(List<Contestant> contestants) {
		return (int) contestants.stream().filter(Contestant::isLeader).count();
	}

	@Test
	void leaseRevokedFromOutsideShouldRevokeAtOnceAndHandTheRoleOn() throws Exception {
		Contestant first = leader("revoked");
		Contestant second = waiter("revoked");
		long start = System.nanoTime();
		EtcdAdmin.revokeLease(etcd.endpoint(), template.election("revoked").leader().orElseThrow().lease());
		assertThat(first.revoked.await(TTL_AND_A_SECOND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		Duration revoked = Duration.ofNanos(System.nanoTime() - start);
		Eventually.within(TTL_AND_A_SECOND, second::isLeader);
		Duration failover = Duration.ofNanos(System.nanoTime() - start);
		System.out.println("Lease revoked from outside: old leader revoked after " + revoked.toMillis()
				+ " ms, new leader after " + failover.toMillis() + " ms");
		assertThat(failover).isLessThan(TTL_AND_A_SECOND);
		assertThat(first.events).hasAtLeastOneElementOfType(OnRevokedEvent.class);
		// The old leader campaigns again on a new session, behind the new leader.
		Eventually.within(Duration.ofSeconds(5), () -> template.getPrefix("etcd-spring/leader/revoked/").size() == 2);
		assertThat(first.isLeader()).isFalse();
	}

	@Test
	void stoppedKeepAliveShouldHandTheRoleOnWithinTheTtl() throws Exception {
		Contestant first = leader("orphaned");
		Contestant second = waiter("orphaned");
		long start = System.nanoTime();
		first.session.current().orphan();
		Eventually.within(TTL_AND_A_SECOND, second::isLeader);
		Duration failover = Duration.ofNanos(System.nanoTime() - start);
		assertThat(first.revoked.await(TTL_AND_A_SECOND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		System.out.println(
				"Keep-alive stopped (TTL " + TTL.toMillis() + " ms): new leader after " + failover.toMillis() + " ms");
		assertThat(failover).isLessThan(TTL_AND_A_SECOND);
	}

	@Test
	void yieldShouldHandTheRoleToAnotherContenderAndPublishEveryEvent() throws Exception {
		Contestant first = leader("yield");
		Contestant second = waiter("yield");
		first.initiator.getContext().yield();
		Eventually.within(TTL_AND_A_SECOND, second::isLeader);
		assertThat(first.revoked.await(TTL_AND_A_SECOND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		assertThat(first.isLeader()).isFalse();
		assertThat(first.events).extracting(Object::getClass)
			.containsSubsequence(OnGrantedEvent.class, OnRevokedEvent.class);
		assertThat(second.events).extracting(Object::getClass)
			.containsSubsequence(OnFailedToAcquireMutexEvent.class, OnGrantedEvent.class);
		assertThat(first.events).allSatisfy((event) -> {
			assertThat(((AbstractLeaderEvent) event).getRole()).isEqualTo("yield");
			assertThat(event.getSource()).isSameAs(first.initiator);
		});
		// After its back-off the first campaigns again, behind the second.
		Eventually.within(Duration.ofSeconds(5), () -> template.getPrefix("etcd-spring/leader/yield/").size() == 2);
		assertThat(template.election("yield").leader().orElseThrow().value()).isEqualTo("second");
	}

	@Test
	void stopShouldResign() throws Exception {
		Contestant first = leader("stop");
		Contestant second = waiter("stop");
		first.initiator.stop();
		assertThat(first.initiator.isRunning()).isFalse();
		assertThat(first.revoked.getCount()).isZero();
		// Its key is gone when stop() returns, long before its lease would expire.
		assertThat(template.election("stop").leader()).map(Leader::value).contains("second");
		Eventually.within(TTL_AND_A_SECOND, second::isLeader);
	}

	@Test
	void secondContenderForARoleOnOneSessionShouldBeRefused() {
		Contestant first = contestant("twice", "first");
		first.start();
		EtcdLeaderInitiator twin = new EtcdLeaderInitiator(template, first.session,
				new DefaultCandidate("twin", "twice"));
		assertThatIllegalStateException().isThrownBy(twin::start).withMessageContaining("'twice'");
		assertThat(twin.isRunning()).isFalse();
	}

	private Contestant leader(String role) throws InterruptedException {
		Contestant first = contestant(role, "first");
		first.start();
		Eventually.within(TTL_AND_A_SECOND, first::isLeader);
		return first;
	}

	private Contestant waiter(String role) throws InterruptedException {
		Contestant second = contestant(role, "second");
		second.start();
		assertThat(second.failedToAcquire.await(5, TimeUnit.SECONDS)).isTrue();
		return second;
	}

	private Contestant contestant(String role, String id) {
		Contestant contestant = new Contestant(role, id);
		this.contestants.add(contestant);
		return contestant;
	}

	private static Contestant leaderOf(List<Contestant> contestants) {
		List<Contestant> leaders = contestants.stream().filter(Contestant::isLeader).toList();
		return leaders.isEmpty() ? null : leaders.get(0);
	}

	/**
	 * One application instance: a session of its own, a candidate and its initiator.
	 */
	static final class Contestant implements AutoCloseable {

		final ParticipantSession session = new ParticipantSession(template.leases(), TTL);

		final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

		final CountDownLatch revoked = new CountDownLatch(1);

		final CountDownLatch failedToAcquire = new CountDownLatch(1);

		final EtcdLeaderInitiator initiator;

		Contestant(String role, String id) {
			this.initiator = new EtcdLeaderInitiator(template, this.session, new DefaultCandidate(id, role) {

				@Override
				public void onRevoked(Context ctx) {
					Contestant.this.revoked.countDown();
				}

			});
			this.initiator.setLeaderEventPublisher(new DefaultLeaderEventPublisher((event) -> {
				this.events.add((ApplicationEvent) event);
				if (event instanceof OnFailedToAcquireMutexEvent) {
					this.failedToAcquire.countDown();
				}
			}));
			this.initiator.setYieldBackOff(Duration.ofMillis(300));
		}

		void start() {
			this.initiator.start();
		}

		boolean isLeader() {
			return this.initiator.getContext().isLeader();
		}

		@Override
		public void close() {
			this.initiator.stop();
			this.session.close();
		}

	}

}
