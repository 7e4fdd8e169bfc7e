package org.etcdspring.sample;

import org.etcdspring.EtcdTemplate;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's Server-Sent Events watch ends its etcd watch when the client goes away,
 * even when nothing changes under the prefix.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.watch.heartbeat=200ms")
@Import(LocalEtcdConfiguration.class)
// Closed while its etcd runs, not by a shutdown hook racing the launcher's own.
@DirtiesContext
class SampleWatchTests {

	@LocalServerPort
	int port;

	@Autowired
	EtcdTemplate etcd;

	@Test
	void watchShouldCloseWhenTheClientGoesAway() throws Exception {
		try (Socket client = new Socket("localhost", this.port)) {
			OutputStream request = client.getOutputStream();
			request.write(("GET /watch?prefix=sse-gone/ HTTP/1.1\r\nHost: localhost\r\n"
					+ "Accept: text/event-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			request.flush();
			assertThat(awaitWatches(true)).as("the stream's etcd watch while the client listens").hasSize(1);
		}
		// Nothing is written under the prefix: only the stream's own heartbeats can
		// notice.
		assertThat(awaitWatches(false)).as("the stream's etcd watch after the client went away").isEmpty();
	}

	/**
	 * Waits up to 10 s for the watches of the stream's prefix to be there (or gone).
	 */
	private List<String> awaitWatches(boolean present) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		List<String> watches = streamWatches();
		while (watches.isEmpty() == present && System.nanoTime() < deadline) {
			Thread.sleep(50);
			watches = streamWatches();
		}
		return watches;
	}

	private List<String> streamWatches() {
		return this.etcd.getWatches()
			.activeWatches()
			.stream()
			.map((watch) -> watch.request())
			.filter((request) -> request.contains("sse-gone/"))
			.toList();
	}

}
