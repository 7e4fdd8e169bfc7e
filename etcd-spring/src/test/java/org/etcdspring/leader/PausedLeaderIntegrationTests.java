package org.etcdspring.leader;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.etcdspring.support.ChildJvm;
import org.etcdspring.support.PausableApplication;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A leader in a child JVM running a fixed-rate {@link EtcdLeader @EtcdLeader} job is
 * paused with SIGSTOP past its lease's time to live while this process takes the role:
 * once resumed, the scheduler fires its missed runs at once, and none of them may run the
 * job while this process leads; a write fenced with its former leadership is refused.
 */
class PausedLeaderIntegrationTests extends SharedEtcdTemplate {

	private static final Duration PAUSE = Duration.ofSeconds(8);

	@Test
	void leaderPausedPastItsTtlShouldNeverRunTheJobWhileAnotherLeads() throws Exception {
		Election election = template.election(PausableApplication.ROLE);
		try (ChildJvm child = ChildJvm.start(PausableApplication.class, "leader", etcd.endpoint(), "3")) {
			child.awaitLine("READY", 0, Duration.ofSeconds(60));
			child.awaitLine("RUN ", 5, Duration.ofSeconds(60));
			// The leader's fenced write goes through while it leads.
			assertThat(child.ask("fence paused-leader-data before-pause", "FENCED ", Duration.ofSeconds(30)))
				.isEqualTo("FENCED true");
			child.pause();
			long pausedAt = System.nanoTime();
			Leadership other = election.campaign("this process", Duration.ofSeconds(30)).orElseThrow();
			long otherLeadsSince = System.currentTimeMillis();
			try {
				sleepUntil(pausedAt + PAUSE.toNanos());
				child.resume();
				String resumed = child.awaitLine("RESUMED ", 0, Duration.ofSeconds(30));
				assertThat(resumed).as("first isLeader() after the pause").endsWith(" false");
				// The scheduler's missed runs fire at once; give them, and a new
				// campaign, time.
				Thread.sleep(4000);
				assertThat(other.isLeader()).isTrue();
				assertThat(election.leader()).map(Leader::value).contains("this process");
				List<Long> runsWhileOtherLeads = runs(child).stream().filter((at) -> at >= otherLeadsSince).toList();
				assertThat(runsWhileOtherLeads).as("job runs of the resumed child while this process leads").isEmpty();
				assertThat(child.ask("leader", "LEADER ", Duration.ofSeconds(10))).isEqualTo("LEADER false");
				// The window that the local deadline narrows, fencing closes: a write
				// fenced with the leadership the job ran under before the pause is
				// refused by etcd.
				assertThat(child.ask("fence paused-leader-data after-pause", "FENCED ", Duration.ofSeconds(30)))
					.isEqualTo("FENCED false");
				assertThat(template.get("paused-leader-data")).isEqualTo("before-pause");
			}
			finally {
				other.resign();
			}
			// The child was not simply dead: once the role is free it leads and runs
			// again.
			int runs = child.lines("RUN ").size();
			child.awaitLine("RUN ", runs, Duration.ofSeconds(60));
		}
	}

	private static List<Long> runs(ChildJvm child) {
		return child.lines("RUN ").stream().map((line) -> Long.parseLong(line.substring(4))).toList();
	}

	private static void sleepUntil(long nanoTime) throws InterruptedException {
		long left = nanoTime - System.nanoTime();
		if (left > 0) {
			TimeUnit.NANOSECONDS.sleep(left);
		}
	}

}
