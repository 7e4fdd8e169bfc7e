package org.etcdspring.sample;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's endpoints over real HTTP against a real etcd.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(LocalEtcdConfiguration.class)
class SampleApplicationTests {

	@LocalServerPort
	int port;

	@Autowired
	RestClient.Builder restClientBuilder;

	@Test
	void keysShouldBeWrittenReadListedSwappedAndDeleted() {
		RestClient http = this.restClientBuilder.baseUrl("http://localhost:" + this.port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
		Map<String, Object> written = http.put().uri("/keys/greeting").body("hello").retrieve().body(MAP);
		assertThat(written).containsEntry("key", "greeting").containsEntry("value", "hello");
		long revision = ((Number) written.get("modRevision")).longValue();

		assertThat(http.get().uri("/keys/greeting").retrieve().body(MAP)).containsEntry("value", "hello");
		assertThat(http.get().uri("/keys?prefix=greet").retrieve().body(LIST)).hasSize(1);

		assertThat(http.post().uri("/keys/greeting/cas?revision={r}", revision).body("bonjour").retrieve()
			.toBodilessEntity().getStatusCode().value()).isEqualTo(200);
		assertThat(http.post().uri("/keys/greeting/cas?revision={r}", revision).body("hola").retrieve()
			.toBodilessEntity().getStatusCode().value()).isEqualTo(409);
		assertThat(http.get().uri("/keys/greeting").retrieve().body(MAP)).containsEntry("value", "bonjour");

		assertThat(http.delete().uri("/keys/greeting").retrieve().toBodilessEntity().getStatusCode().value())
			.isEqualTo(204);
		assertThat(http.get().uri("/keys/greeting").retrieve().toBodilessEntity().getStatusCode().value())
			.isEqualTo(404);
	}

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<List<Object>> LIST = new ParameterizedTypeReference<>() {
	};

}
