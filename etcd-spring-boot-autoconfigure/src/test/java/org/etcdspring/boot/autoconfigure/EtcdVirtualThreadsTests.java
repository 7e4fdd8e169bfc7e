package org.etcdspring.boot.autoconfigure;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdThreads;
import org.etcdspring.core.transport.EtcdRequestObserver;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.lease.Lease;
import org.etcdspring.lease.LeaseKeepAlive;
import org.etcdspring.lease.LeaseOperations;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@code spring.threads.virtual.enabled} puts the client's blocking work on
 * virtual threads where the JVM has them (Java 21+), against a real etcd process. Run on
 * Java 17 they check that the property changes nothing there.
 */
class EtcdVirtualThreadsTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class))
		.withBean(KeepAliveThreads.class, KeepAliveThreads::new);

	@Test
	void leaseRenewalsShouldRunOnVirtualThreadsWithTheProperty() {
		this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint(), "spring.threads.virtual.enabled=true")
			.run((context) -> {
				boolean virtual = EtcdThreads.virtualThreadsAvailable();
				assertThat(context.getBean(EtcdTransport.class).threads().isVirtual()).isEqualTo(virtual);
				Thread renewer = renewalThread(context.getBean(EtcdTemplate.class).leases(),
						context.getBean(KeepAliveThreads.class));
				assertThat(isVirtual(renewer)).as("virtual renewal thread").isEqualTo(virtual);
			});
	}

	@Test
	void leaseRenewalsShouldRunOnPlatformThreadsByDefault() {
		this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint()).run((context) -> {
			assertThat(context.getBean(EtcdTransport.class).threads().isVirtual()).isFalse();
			Thread renewer = renewalThread(context.getBean(EtcdTemplate.class).leases(),
					context.getBean(KeepAliveThreads.class));
			assertThat(isVirtual(renewer)).as("virtual renewal thread").isFalse();
			assertThat(renewer.isDaemon()).isTrue();
		});
	}

	/**
	 * The thread of the first renewal in the background (the keep-alive may renew once on
	 * the caller's thread).
	 */
	private static Thread renewalThread(LeaseOperations leases, KeepAliveThreads threads) throws Exception {
		// A time to live that a loaded machine's pauses do not run out: renewals every 5
		// s.
		Lease lease = leases.grant(Duration.ofSeconds(15));
		try (LeaseKeepAlive keepAlive = leases.keepAlive(lease, (id, reason, cause) -> {
		})) {
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
			while (System.nanoTime() < deadline) {
				Thread thread = threads.calls.poll(1, TimeUnit.SECONDS);
				if (thread != null && thread.getName().startsWith("etcd-lease-renewal-")) {
					return thread;
				}
			}
			throw new AssertionError("No lease renewal on an etcd-lease-renewal- thread within two minutes");
		}
		finally {
			leases.revoke(lease.id());
		}
	}

	private static boolean isVirtual(Thread thread) throws Exception {
		if (!EtcdThreads.virtualThreadsAvailable()) {
			return false;
		}
		return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
	}

	/**
	 * Records the thread of every lease keep-alive call.
	 */
	static class KeepAliveThreads implements EtcdRequestObserver {

		final BlockingQueue<Thread> calls = new LinkedBlockingQueue<>();

		@Override
		public <R> R observe(String operation, @Nullable String key, Supplier<R> call) {
			if (operation.equals("lease keep-alive")) {
				this.calls.add(Thread.currentThread());
			}
			return call.get();
		}

	}

}
