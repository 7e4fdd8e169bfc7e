package org.etcdspring.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link EtcdThreads}.
 */
class EtcdThreadsTests {

	@Test
	void timerShouldRunOnOneNamedDaemonThreadThatEndsOnShutdown() throws Exception {
		ThreadPoolTaskScheduler timer = EtcdThreads.platform().timer("etcd-test-timer");
		Thread thread = onThreadOf((task) -> timer.getScheduledExecutor().schedule(task, 1, TimeUnit.MILLISECONDS));
		assertNamedDaemonEndingOnShutdown(thread, "etcd-test-timer", timer::shutdown);
	}

	@Test
	void workersShouldBeNumberedDaemonThreadsThatEndOnShutdown() throws Exception {
		ThreadPoolTaskExecutor workers = EtcdThreads.platform().workers("etcd-test-worker-");
		assertNamedDaemonEndingOnShutdown(onThreadOf(workers::execute), "etcd-test-worker-1", workers::shutdown);
	}

	@Test
	void serialExecutorShouldKeepTheOrderOnOneThread() throws Exception {
		ThreadPoolTaskExecutor serial = EtcdThreads.platform().serial("etcd-test-events");
		StringBuffer order = new StringBuffer();
		CompletableFuture<Thread> last = new CompletableFuture<>();
		for (int i = 0; i < 100; i++) {
			int n = i;
			serial.execute(() -> order.append(n).append(','));
		}
		serial.execute(() -> last.complete(Thread.currentThread()));
		assertThat(last.get(1, TimeUnit.MINUTES).getName()).isEqualTo("etcd-test-events");
		StringBuilder expected = new StringBuilder();
		for (int i = 0; i < 100; i++) {
			expected.append(i).append(',');
		}
		assertThat(order).hasToString(expected.toString());
		serial.shutdown();
	}

	@Test
	void dedicatedThreadShouldHaveTheGivenNameEvenWhenItEndsWithADash() {
		Thread thread = EtcdThreads.platform().thread("etcd-leader-orders-", () -> {
		});
		assertThat(thread.getName()).isEqualTo("etcd-leader-orders-");
		assertThat(thread.isDaemon()).isTrue();
	}

	@Test
	void blockingWorkShouldRunOnVirtualThreadsWhereTheJvmHasThem() throws Exception {
		if (!EtcdThreads.virtualThreadsAvailable()) {
			assertThatIllegalArgumentException().isThrownBy(() -> EtcdThreads.of(true))
				.withMessage("Virtual threads need Java 21 or later; this is Java " + Runtime.version().feature());
			return;
		}
		EtcdThreads threads = EtcdThreads.of(true);
		assertThat(threads.isVirtual()).isTrue();
		ThreadPoolTaskExecutor workers = threads.workers("etcd-test-virtual-", 2);
		Thread thread = onThreadOf(workers::execute);
		assertThat((boolean) Thread.class.getMethod("isVirtual").invoke(thread)).isTrue();
		assertThat(thread.getName()).startsWith("etcd-test-virtual-");
		workers.shutdown();
		ThreadPoolTaskScheduler timer = threads.timer("etcd-test-timer");
		Thread timerThread = onThreadOf(
				(task) -> timer.getScheduledExecutor().schedule(task, 1, TimeUnit.MILLISECONDS));
		assertThat((boolean) Thread.class.getMethod("isVirtual").invoke(timerThread)).isFalse();
		timer.shutdown();
	}

	private static void assertNamedDaemonEndingOnShutdown(Thread thread, String name, Runnable shutdown)
			throws InterruptedException {
		assertThat(thread.getName()).isEqualTo(name);
		assertThat(thread.isDaemon()).isTrue();
		shutdown.run();
		thread.join(TimeUnit.MINUTES.toMillis(1));
		assertThat(thread.isAlive()).isFalse();
	}

	private static Thread onThreadOf(Consumer<Runnable> executor) throws Exception {
		CompletableFuture<Thread> thread = new CompletableFuture<>();
		executor.accept(() -> thread.complete(Thread.currentThread()));
		return thread.get(1, TimeUnit.MINUTES);
	}

}
