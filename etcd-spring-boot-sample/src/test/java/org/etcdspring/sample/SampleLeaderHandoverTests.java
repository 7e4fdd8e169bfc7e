package org.etcdspring.sample;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the sample on one etcd: the leader-only job runs in one of them and
 * moves to the other when the first stops.
 */
class SampleLeaderHandoverTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void leaderJobShouldMoveToTheOtherInstanceWhenTheLeaderStops() throws Exception {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
				EtcdTemplate etcdView = new EtcdTemplate(transport)) {
			ConfigurableApplicationContext first = start("first");
			ConfigurableApplicationContext second = start("second");
			try {
				String leader = awaitRunBy(etcdView, List.of("first", "second"));
				ConfigurableApplicationContext leading = leader.equals("first") ? first : second;
				String other = leader.equals("first") ? "second" : "first";
				leading.close();
				assertThat(awaitRunBy(etcdView, List.of(other))).isEqualTo(other);
			}
			finally {
				first.close();
				second.close();
			}
		}
	}

	private static ConfigurableApplicationContext start(String id) {
		return SpringApplication.run(SampleApplication.class, "--server.port=0", "--etcd.peers=" + etcd.endpoint(),
				"--etcd.leader.id=" + id, "--etcd.leader.ttl=2s", "--sample.report.interval=200ms");
	}

	private static String awaitRunBy(EtcdTemplate etcd, List<String> instances) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (System.nanoTime() < deadline) {
			ReportJob.LastRun lastRun = etcd.get("/etcd-sample/" + ReportJob.LAST_RUN_KEY, ReportJob.LastRun.class);
			if (lastRun != null && instances.contains(lastRun.instance())) {
				return lastRun.instance();
			}
			Thread.sleep(100);
		}
		throw new AssertionError("the report job did not run on any of " + instances + " within 15 s");
	}

}
