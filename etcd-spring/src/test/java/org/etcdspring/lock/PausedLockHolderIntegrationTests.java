package org.etcdspring.lock;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.etcdspring.support.ChildJvm;
import org.etcdspring.support.PausableApplication;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lock holder in a child JVM, paused with SIGSTOP past its lease's time to live while
 * another process takes the lock: once resumed, it must not believe it holds the lock,
 * and its fenced writes are refused.
 */
class PausedLockHolderIntegrationTests extends SharedEtcdTemplate {

	private static final Duration PAUSE = Duration.ofSeconds(8);

	@Test
	void holderPausedPastItsTtlShouldKnowItLostTheLockAtItsFirstCheck() throws Exception {
		String name = "paused-holder";
		try (ChildJvm child = ChildJvm.start(PausableApplication.class, "mutex", etcd.endpoint(), name, "3")) {
			long childToken = Long.parseLong(child.awaitLine("HELD ", 0, Duration.ofSeconds(60)).substring(5));
			assertThat(child.ask("held", "ISHELD ", Duration.ofSeconds(10))).isEqualTo("ISHELD true");
			child.pause();
			long pausedAt = System.nanoTime();
			EtcdMutex other = template.lock(name);
			assertThat(other.tryLock(30, TimeUnit.SECONDS)).isTrue();
			try {
				assertThat(other.fencingToken()).isGreaterThan(childToken);
				sleepUntil(pausedAt + PAUSE.toNanos());
				child.resume();
				// The child's own thread, asking every few milliseconds, reports its
				// first answer after the gap.
				String resumed = child.awaitLine("RESUMED ", 0, Duration.ofSeconds(30));
				assertThat(resumed).as("first isHeld() after the pause").endsWith(" false");
				assertThat(child.ask("held", "ISHELD ", Duration.ofSeconds(10))).isEqualTo("ISHELD false");
				assertThat(child.ask("fence paused-holder-data from-child", "FENCED ", Duration.ofSeconds(30)))
					.isEqualTo("FENCED false");
				assertThat(template.get("paused-holder-data")).isNull();
				assertThat(other.isHeld()).isTrue();
			}
			finally {
				other.unlock();
			}
		}
	}

	static void sleepUntil(long nanoTime) throws InterruptedException {
		long left = nanoTime - System.nanoTime();
		if (left > 0) {
			TimeUnit.NANOSECONDS.sleep(left);
		}
	}

}
