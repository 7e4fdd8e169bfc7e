package org.etcdspring.lock;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.leader.Election;
import org.etcdspring.leader.Leader;
import org.etcdspring.leader.Leadership;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.Eventually;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;
import org.etcdspring.watch.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watches of locks and elections on a member cut off from the majority (the two other
 * members of a three-member cluster stopped with SIGSTOP) require a leader: the member
 * ends them with "no leader" instead of leaving them silent, and once the others are back
 * they resume from where they were, missing no event.
 */
class LeaderlessMemberWatchIntegrationTests {

	private static final Duration SESSION_TTL = Duration.ofSeconds(60);

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.cluster(3);

	@Test
	void lockAndElectionWatchesShouldEndWithoutALeaderAndResumeAfterwards() throws Exception {
		EtcdMember inUse = EtcdAdmin.aFollower(etcd);
		List<EtcdMember> others = etcd.cluster().members().stream().filter((member) -> member != inUse).toList();
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(inUse.clientEndpoint()))).build();
				EtcdTemplate template = new EtcdTemplate(transport)) {
			EtcdLocks holderLocks = new EtcdLocks(template, template.leases(), template, "leaderless-locks/");
			EtcdLocks waiterLocks = new EtcdLocks(template, template.leases(), template, "leaderless-locks/");
			holderLocks.setTtl(SESSION_TTL);
			waiterLocks.setTtl(SESSION_TTL);
			Election election = new Election(template, template.leases(), template, "leaderless-election/", "role",
					SESSION_TTL);
			List<String> leaders = new CopyOnWriteArrayList<>();
			ExecutorService threads = Executors.newCachedThreadPool();
			try (Subscription observation = election
				.observe((leader) -> leaders.add(Optional.ofNullable(leader).map(Leader::value).orElse("none")))) {
				EtcdMutex held = holderLocks.obtain("job");
				held.lock();
				Leadership first = election.campaign("first", Duration.ofSeconds(30)).orElseThrow();
				CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(
						() -> uninterrupted(() -> waiterLocks.obtain("job").tryLock(120, TimeUnit.SECONDS)), threads);
				CompletableFuture<Leadership> second = CompletableFuture.supplyAsync(
						() -> uninterrupted(() -> election.campaign("second", Duration.ofSeconds(120)).orElseThrow()),
						threads);
				Eventually.within(Duration.ofSeconds(30), () -> template.getPrefix("leaderless-locks/job/").size() == 2
						&& template.getPrefix("leaderless-election/role/").size() == 2);
				Eventually.within(Duration.ofSeconds(10), () -> leaders.contains("first"));
				long reconnects = template.getWatches().reconnectCount();
				others.forEach(EtcdMember::pause);
				try {
					// Several watches (the holder's, the waiter's, the leader's, the
					// second
					// candidate's, the observer's) end, and keep ending while there is no
					// leader.
					Duration ended = Eventually.within(Duration.ofSeconds(30),
							() -> template.getWatches().reconnectCount() >= reconnects + 5);
					assertThat(ended).isLessThan(Duration.ofSeconds(30));
				}
				finally {
					others.forEach(EtcdMember::resume);
				}
				assertThat(waiter).isNotDone();
				assertThat(second).isNotDone();
				// Right after the others are back, while the watches may still be waiting
				// to resume.
				held.unlock();
				first.resign();
				assertThat(Eventually.result(Duration.ofSeconds(60), waiter)).isTrue();
				Leadership leading = Eventually.result(Duration.ofSeconds(60), second);
				assertThat(leading.isLeader()).isTrue();
				Eventually.within(Duration.ofSeconds(30), () -> "second".equals(leaders.get(leaders.size() - 1)));
				leading.resign();
			}
			finally {
				threads.shutdownNow();
				waiterLocks.close();
				holderLocks.close();
			}
		}
	}

	private static <T> T uninterrupted(Interruptible<T> call) {
		try {
			return call.call();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@FunctionalInterface
	interface Interruptible<T> {

		T call() throws InterruptedException;

	}

}
