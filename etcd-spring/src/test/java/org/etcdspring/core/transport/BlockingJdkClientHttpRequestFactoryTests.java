package org.etcdspring.core.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How the request factory puts RestClient's requests on the wire. It is the HTTP adapter
 * only, so the JDK's own HTTP server stands in for the gateway: it records what arrives.
 */
class BlockingJdkClientHttpRequestFactoryTests {

	private final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();

	private final ExecutorService serverThreads = Executors.newCachedThreadPool();

	private final CountDownLatch endlessEnded = new CountDownLatch(1);

	private HttpServer server;

	private HttpClient httpClient;

	private RestClient restClient;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/echo", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			Map<String, Object> request = new ConcurrentHashMap<>();
			request.put("method", exchange.getRequestMethod());
			request.put("body", new String(body, StandardCharsets.UTF_8));
			request.put("headers", exchange.getRequestHeaders());
			this.received.add(request);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.createContext("/slow", (exchange) -> {
			try {
				Thread.sleep(2_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		this.server.createContext("/endless", (exchange) -> {
			// Chunked, and never ends: only a client that stops reading returns.
			exchange.sendResponseHeaders(200, 0);
			byte[] chunk = new byte[16 * 1024];
			try {
				while (true) {
					exchange.getResponseBody().write(chunk);
				}
			}
			catch (IOException ex) {
				this.endlessEnded.countDown();
			}
			finally {
				exchange.close();
			}
		});
		this.server.createContext("/declared", (exchange) -> {
			byte[] body = new byte[100_000];
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.setExecutor(this.serverThreads);
		this.server.start();
		this.httpClient = HttpClient.newHttpClient();
		this.restClient = RestClient.builder()
			.requestFactory(new BlockingJdkClientHttpRequestFactory(this.httpClient, Duration.ofSeconds(5)))
			.build();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
		this.serverThreads.shutdownNow();
	}

	@Test
	void aBodyOfBytesShouldArriveAsItIsWithItsContentType() {
		byte[] json = "{\"key\":\"Zm9v\"}".getBytes(StandardCharsets.UTF_8);
		String answer = this.restClient.post()
			.uri(url("/echo"))
			.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
			.body(BlockingJdkClientHttpRequestFactory.body(json))
			.retrieve()
			.body(String.class);
		assertThat(answer).isEqualTo("{\"key\":\"Zm9v\"}");
		Map<String, Object> request = this.received.get(0);
		assertThat(request).containsEntry("method", "POST").containsEntry("body", "{\"key\":\"Zm9v\"}");
		com.sun.net.httpserver.Headers headers = (com.sun.net.httpserver.Headers) request.get("headers");
		assertThat(headers.getFirst("Content-Type")).isEqualTo("application/json");
		assertThat(headers.getFirst("Content-Length")).isEqualTo(String.valueOf(json.length));
	}

	@Test
	void aBodyWrittenByAMessageConverterShouldArriveWhole() {
		String text = "x".repeat(5_000);
		this.restClient.post()
			.uri(url("/echo"))
			.contentType(MediaType.TEXT_PLAIN)
			.body(text)
			.retrieve()
			.toBodilessEntity();
		assertThat(this.received.get(0)).containsEntry("body", text);
	}

	@Test
	void headersTheJdkClientSetsItselfShouldBeLeftToIt() {
		this.restClient.post()
			.uri(url("/echo"))
			.header("content-LENGTH", "999")
			.header("Connection", "close")
			.header("X-Custom", "kept")
			.body(BlockingJdkClientHttpRequestFactory.body(new byte[] { '1' }))
			.retrieve()
			.toBodilessEntity();
		com.sun.net.httpserver.Headers headers = (com.sun.net.httpserver.Headers) this.received.get(0).get("headers");
		assertThat(headers.getFirst("Content-Length")).isEqualTo("1");
		assertThat(headers.getFirst("X-Custom")).isEqualTo("kept");
	}

	@Test
	void theTimeoutAttributeShouldBoundTheRequest() {
		long start = System.nanoTime();
		assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> this.restClient.post()
			.uri(url("/slow"))
			.attribute(BlockingJdkClientHttpRequestFactory.TIMEOUT_ATTRIBUTE, Duration.ofMillis(200))
			.retrieve()
			.toBodilessEntity());
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_500));
	}

	@Test
	void aBodyPastTheLimitShouldFailWithoutBeingReadToTheEnd() throws InterruptedException {
		assertThatExceptionOfType(ResourceAccessException.class)
			.isThrownBy(() -> this.restClient.post()
				.uri(url("/endless"))
				.attribute(BlockingJdkClientHttpRequestFactory.MAX_RESPONSE_BYTES_ATTRIBUTE, 64L * 1024)
				.retrieve()
				.body(byte[].class))
			.havingCause()
			.isInstanceOf(LimitedBodySubscriber.BodyTooLargeException.class)
			.withMessageStartingWith("the response body exceeds 65536 bytes");
		// The client closed the connection: the server's writes fail.
		assertThat(this.endlessEnded.await(30, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void aDeclaredLengthPastTheLimitShouldFailBeforeTheBodyIsRead() {
		assertThatExceptionOfType(ResourceAccessException.class)
			.isThrownBy(() -> this.restClient.post()
				.uri(url("/declared"))
				.attribute(BlockingJdkClientHttpRequestFactory.MAX_RESPONSE_BYTES_ATTRIBUTE, 99_999L)
				.retrieve()
				.body(byte[].class))
			.havingCause()
			.isInstanceOf(LimitedBodySubscriber.BodyTooLargeException.class)
			.withMessage("the response body exceeds 99999 bytes (100000 bytes at least)");
	}

	@Test
	void aBodyWithinTheLimitShouldBeReadWhole() {
		byte[] body = this.restClient.post()
			.uri(url("/declared"))
			.attribute(BlockingJdkClientHttpRequestFactory.MAX_RESPONSE_BYTES_ATTRIBUTE, 100_000L)
			.retrieve()
			.body(byte[].class);
		assertThat(body).hasSize(100_000);
	}

	private URI url(String path) {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + path);
	}

}
