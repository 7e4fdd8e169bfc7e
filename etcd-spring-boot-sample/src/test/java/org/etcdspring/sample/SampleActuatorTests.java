package org.etcdspring.sample;

import java.util.List;
import java.util.Map;

import org.etcdspring.EtcdOperations;
import org.etcdspring.test.EtcdLocalCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator of the sample over real HTTP: etcd's health follows the server down and
 * up, the request timer carries its tags, and {@code /actuator/etcd} shows the cluster.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(LocalEtcdConfiguration.class)
// Closed while its etcd runs, not by a shutdown hook racing the launcher's own.
@DirtiesContext
class SampleActuatorTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	int port;

	@Autowired
	RestClient.Builder restClientBuilder;

	@Autowired
	EtcdLocalCluster localEtcd;

	@Autowired
	EtcdOperations etcd;

	@Test
	@SuppressWarnings("unchecked")
	void healthShouldFollowTheServerDownAndUpAgain() {
		RestClient http = http();
		assertThat(etcdHealth(http)).containsEntry("status", "UP");
		this.localEtcd.member(0).stop();
		try {
			Map<String, Object> down = etcdHealth(http);
			assertThat(down).containsEntry("status", "DOWN");
			assertThat(((Map<String, Object>) down.get("details")).get("error").toString())
				.contains(this.localEtcd.endpoint());
		}
		finally {
			this.localEtcd.member(0).restart();
		}
		assertThat(etcdHealth(http)).containsEntry("status", "UP");
	}

	@Test
	@SuppressWarnings("unchecked")
	void requestTimerAndEtcdEndpointShouldDescribeTheClient() {
		RestClient http = http();
		this.etcd.put("actuator/key", "v");
		this.etcd.get("actuator/key");
		Map<String, Object> timer = http.get()
			.uri("/actuator/metrics/etcd.client.requests?tag=operation:range&tag=outcome:SUCCESS")
			.retrieve()
			.body(JSON);
		assertThat(((List<Map<String, Object>>) timer.get("measurements")).get(0).get("value")).isNotEqualTo(0.0);
		assertThat(http.get().uri("/actuator/metrics/etcd.watch.active").retrieve().body(JSON)).isNotNull();
		http.post().uri("/orders/7/ship").retrieve().toBodilessEntity();
		Map<String, Object> acquisitions = http.get()
			.uri("/actuator/metrics/etcd.lock.acquire?tag=outcome:acquired")
			.retrieve()
			.body(JSON);
		assertThat(((List<Map<String, Object>>) acquisitions.get("measurements")).get(0).get("value"))
			.isNotEqualTo(0.0);
		assertThat(http.get().uri("/actuator/metrics/etcd.leader?tag=role:report").retrieve().body(JSON))
			.containsEntry("name", "etcd.leader");
		Map<String, Object> dashboard = http.get().uri("/actuator/etcd").retrieve().body(JSON);
		assertThat((List<String>) dashboard.get("roles")).containsExactly("report");
		assertThat(dashboard).containsKeys("rolesLed", "locks", "watches");
		assertThat((List<String>) dashboard.get("endpoints")).containsExactly(this.localEtcd.endpoint());
		List<Map<String, Object>> members = (List<Map<String, Object>>) dashboard.get("members");
		assertThat(members).singleElement().satisfies((member) -> {
			assertThat(member).containsEntry("leader", true).containsEntry("name", "m0");
			assertThat((List<String>) member.get("clientUrls")).containsExactly(this.localEtcd.endpoint());
		});
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> etcdHealth(RestClient http) {
		Map<String, Object> health = http.get().uri("/actuator/health").retrieve().body(JSON);
		return (Map<String, Object>) ((Map<String, Object>) health.get("components")).get("etcd");
	}

	private RestClient http() {
		return this.restClientBuilder.baseUrl("http://localhost:" + this.port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

}
