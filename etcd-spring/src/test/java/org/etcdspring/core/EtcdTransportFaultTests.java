package org.etcdspring.core;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.EtcdMember;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Deadlines and failover against real etcd processes that are stopped and killed.
 */
@Tag("wire-format")
class EtcdTransportFaultTests {

	@Test
	void callToAPausedServerShouldFailWithTheDeadlineError() {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(cluster.endpoint())))
					.requestTimeout(Duration.ofSeconds(1))
					.build()) {
			EtcdTemplate template = new EtcdTemplate(transport);
			template.put("before", "pause");
			cluster.member(0).pause();
			try {
				long start = System.nanoTime();
				assertThatExceptionOfType(EtcdTimeoutException.class).isThrownBy(() -> template.get("before"))
					.withMessageContaining("before")
					.withMessageContaining(cluster.endpoint());
				assertThatExceptionOfType(EtcdTimeoutException.class).isThrownBy(() -> template.put("during", "x"))
					.withMessageContaining("may have been applied");
				Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
				// Two calls, each bounded by the 1 s request timeout (+ 1 s slack each).
				assertThat(elapsed).isLessThan(Duration.ofSeconds(4));
			}
			finally {
				cluster.member(0).resume();
			}
			assertThat(template.get("before")).isEqualTo("pause");
		}
	}

	@Test
	void interruptDuringACallShouldNeverBeLost() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(cluster.endpoint()))).build()) {
			EtcdTemplate template = new EtcdTemplate(transport);
			template.put("interrupt/key", "v");
			AtomicBoolean giveUp = new AtomicBoolean();
			for (int round = 0; round < 50; round++) {
				// Calls back to back until the thread sees its interrupt, as a failed
				// call or as its flag.
				Thread caller = new Thread(() -> {
					while (!Thread.currentThread().isInterrupted() && !giveUp.get()) {
						try {
							template.get("interrupt/key");
						}
						catch (EtcdException ex) {
							// Interrupted mid-call: the flag must still be set.
						}
					}
				});
				caller.start();
				Thread.sleep(20);
				caller.interrupt();
				caller.join(2000);
				giveUp.set(caller.isAlive());
				assertThat(giveUp).as("the caller lost its interrupt in round " + round).isFalse();
			}
		}
	}

	@Test
	void readsShouldFailOverWhenTheMemberInUseIsKilled() {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(3);
				EtcdTransport transport = EtcdTransport.builder(cluster.endpoints().stream().map(URI::create).toList())
					.requestTimeout(Duration.ofSeconds(3))
					.build()) {
			EtcdTemplate template = new EtcdTemplate(transport);
			template.put("failover/key", "v1");
			String inUse = transport.currentEndpoint().toString();
			EtcdMember member = cluster.members()
				.stream()
				.filter((candidate) -> candidate.clientEndpoint().equals(inUse))
				.findFirst()
				.orElseThrow();
			member.kill();
			for (int i = 0; i < 50; i++) {
				assertThat(template.get("failover/key")).isEqualTo("v1");
				assertThat(template.withConsistency(ReadConsistency.SERIALIZABLE).get("failover/key")).isEqualTo("v1");
			}
			assertThat(transport.currentEndpoint().toString()).isNotEqualTo(inUse);
			// A write goes to a live member too: the dead one refuses connections, so it
			// never got the request.
			template.put("failover/key", "v2");
			assertThat(template.get("failover/key")).isEqualTo("v2");
		}
	}

}
