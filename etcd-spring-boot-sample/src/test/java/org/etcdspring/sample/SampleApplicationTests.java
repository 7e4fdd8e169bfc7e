package org.etcdspring.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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
 * The sample's endpoints over real HTTP against a real etcd.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(LocalEtcdConfiguration.class)
// Closed while its etcd runs, not by a shutdown hook racing the launcher's own.
@DirtiesContext
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

		assertThat(http.post()
			.uri("/keys/greeting/cas?revision={r}", revision)
			.body("bonjour")
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()
			.value()).isEqualTo(200);
		assertThat(http.post()
			.uri("/keys/greeting/cas?revision={r}", revision)
			.body("hola")
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()
			.value()).isEqualTo(409);
		assertThat(http.get().uri("/keys/greeting").retrieve().body(MAP)).containsEntry("value", "bonjour");

		assertThat(http.delete().uri("/keys/greeting").retrieve().toBodilessEntity().getStatusCode().value())
			.isEqualTo(204);
		assertThat(http.get().uri("/keys/greeting").retrieve().toBodilessEntity().getStatusCode().value())
			.isEqualTo(404);
	}

	@Test
	void concurrentShipmentsOfOneOrderShouldBeSerialisedByTheLock() throws Exception {
		RestClient http = this.restClientBuilder.baseUrl("http://localhost:" + this.port).build();
		ExecutorService callers = Executors.newFixedThreadPool(4);
		try {
			List<Future<Map<String, Object>>> shipments = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				shipments.add(callers.submit(() -> http.post().uri("/orders/42/ship").retrieve().body(MAP)));
			}
			List<Object> counts = new ArrayList<>();
			for (Future<Map<String, Object>> shipment : shipments) {
				counts.add(((Number) shipment.get(60, TimeUnit.SECONDS).get("shipments")).longValue());
			}
			// Every read-modify-write saw the one before it: no count was lost or
			// repeated.
			assertThat(counts).containsExactlyInAnyOrderElementsOf(
					java.util.stream.LongStream.rangeClosed(1, 20).boxed().map(Object.class::cast).toList());
		}
		finally {
			callers.shutdownNow();
		}
	}

	@Test
	void queueShouldKeepJobsInOrder() {
		RestClient http = this.restClientBuilder.baseUrl("http://localhost:" + this.port).build();
		for (String job : List.of("first", "second", "third")) {
			assertThat(http.post().uri("/queue").body(job).retrieve().toBodilessEntity().getStatusCode().value())
				.isEqualTo(201);
		}
		List<Object> jobs = http.get().uri("/queue").retrieve().body(LIST);
		assertThat(jobs.stream().map((job) -> (Object) ((Map<?, ?>) job).get("value")).toList())
			.containsExactly("first", "second", "third");
	}

	@Test
	void watchShouldStreamChangesAsServerSentEvents() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		LineCollector collector = new LineCollector(lines);
		client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/watch?prefix=sse-"))
			.header("Accept", "text/event-stream")
			.build(), HttpResponse.BodyHandlers.fromLineSubscriber(collector));
		try {
			RestClient http = this.restClientBuilder.baseUrl("http://localhost:" + this.port).build();
			// The watch starts when the request arrives: write until the first event
			// shows up.
			String data = null;
			for (int attempt = 0; attempt < 50 && data == null; attempt++) {
				http.put().uri("/keys/sse-greeting").body("hello-" + attempt).retrieve().toBodilessEntity();
				data = awaitLine(lines, "data:", 200);
			}
			assertThat(data).contains("\"key\":\"sse-greeting\"").contains("hello-");
		}
		finally {
			// Closes the connection, which ends the stream and its watch on the server.
			collector.cancel();
		}
	}

	private static String awaitLine(BlockingQueue<String> lines, String prefix, long millis)
			throws InterruptedException {
		long deadline = System.nanoTime() + millis * 1_000_000;
		String line;
		while ((line = lines.poll(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS)) != null) {
			if (line.startsWith(prefix)) {
				return line;
			}
		}
		return null;
	}

	private static final class LineCollector implements Flow.Subscriber<String> {

		private final BlockingQueue<String> lines;

		private volatile Flow.Subscription subscription;

		LineCollector(BlockingQueue<String> lines) {
			this.lines = lines;
		}

		void cancel() {
			if (this.subscription != null) {
				this.subscription.cancel();
			}
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(String line) {
			this.lines.add(line);
		}

		@Override
		public void onError(Throwable throwable) {
		}

		@Override
		public void onComplete() {
		}

	}

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<List<Object>> LIST = new ParameterizedTypeReference<>() {
	};

}
