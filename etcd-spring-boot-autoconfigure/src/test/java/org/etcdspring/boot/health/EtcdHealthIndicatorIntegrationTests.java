package org.etcdspring.boot.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.boot.autoconfigure.health.EtcdHealthContributorAutoConfiguration;
import org.etcdspring.test.EtcdLocalCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EtcdHealthIndicator} against real etcd processes.
 */
class EtcdHealthIndicatorIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdHealthContributorAutoConfiguration.class));

	@Test
	void healthyClusterShouldBeUpWithDetails() {
		try (EtcdLocalCluster etcd = EtcdLocalCluster.start(3)) {
			this.contextRunner.withPropertyValues("etcd.peers=" + String.join(",", etcd.endpoints())).run((context) -> {
				Health health = context.getBean(EtcdHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("members", 3)
					.containsKeys("leader", "dbSize", "raftIndex", "endpoints");
				assertThat((String) health.getDetails().get("version")).matches("3\\.\\d+\\.\\d+");
				assertThat((String) health.getDetails().get("leader")).matches("m[0-2] \\([0-9a-f]+\\)");
			});
		}
	}

	@Test
	void noSpaceAlarmShouldMakeItDown() throws Exception {
		try (EtcdLocalCluster etcd = EtcdLocalCluster.start(1)) {
			this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint()).run((context) -> {
				EtcdHealthIndicator indicator = context.getBean(EtcdHealthIndicator.class);
				assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
				alarm(etcd.endpoint(), "ACTIVATE");
				Health health = indicator.health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("reason", "alarm raised: NOSPACE");
				alarm(etcd.endpoint(), "DEACTIVATE");
				assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
			});
		}
	}

	@Test
	void leaderlessClusterShouldBeDown() {
		try (EtcdLocalCluster etcd = EtcdLocalCluster.start(3)) {
			this.contextRunner.withPropertyValues("etcd.peers=" + etcd.member(0).clientEndpoint()).run((context) -> {
				etcd.member(1).kill();
				etcd.member(2).kill();
				EtcdHealthIndicator indicator = context.getBean(EtcdHealthIndicator.class);
				long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
				Health health = indicator.health(true);
				while (health.getStatus() == Status.UP && System.nanoTime() < deadline) {
					Thread.sleep(200);
					health = indicator.health(true);
				}
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails().toString()).containsAnyOf("no leader", "no answer within", "deadline");
			});
		}
	}

	@Test
	void unreachableClusterShouldBeDownQuickly() {
		this.contextRunner.withPropertyValues("etcd.peers=http://127.0.0.1:1").run((context) -> {
			long start = System.nanoTime();
			Health health = context.getBean(EtcdHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("error").toString()).contains("127.0.0.1:1");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
		});
	}

	@Test
	void disabledIndicatorShouldNotBeCreated() {
		this.contextRunner.withPropertyValues("etcd.peers=http://127.0.0.1:1", "management.health.etcd.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdHealthIndicator.class));
	}

	/**
	 * Raises or clears a NOSPACE alarm on every member, as a full database would.
	 */
	private static void alarm(String endpoint, String action) throws IOException, InterruptedException {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(endpoint + "/v3/maintenance/alarm"))
				.POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"" + action + "\",\"alarm\":\"NOSPACE\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

}
