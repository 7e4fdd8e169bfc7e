package org.etcdspring.benchmarks.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link KvClient} on a bare {@link HttpClient}: the same JSON calls to the same gateway
 * paths as {@code EtcdTemplate}, with the same per-request deadline, written by hand (a
 * string template for the request, a Jackson tree for the answer) and sent with the
 * blocking {@link HttpClient#send}.
 *
 * @author etcd-spring
 */
public final class HttpKvClient implements KvClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Base64.Encoder ENCODER = Base64.getEncoder();

	private static final Base64.Decoder DECODER = Base64.getDecoder();

	private final HttpClient httpClient;

	private final URI put;

	private final URI range;

	private final URI txn;

	private final JsonMapper json = JsonMapper.builder().build();

	private volatile HttpClient.Version lastVersion = HttpClient.Version.HTTP_1_1;

	HttpKvClient(HttpClient httpClient, URI endpoint) {
		this.httpClient = httpClient;
		this.put = endpoint.resolve("/v3/kv/put");
		this.range = endpoint.resolve("/v3/kv/range");
		this.txn = endpoint.resolve("/v3/kv/txn");
	}

	@Override
	public void put(String key, byte[] value) {
		post(this.put, "{\"key\":\"" + base64(key) + "\",\"value\":\"" + base64(value) + "\"}");
	}

	@Override
	public byte[] get(String key, boolean serializable) {
		JsonNode kvs = post(this.range,
				"{\"key\":\"" + base64(key) + "\"" + (serializable ? ",\"serializable\":true}" : "}"))
			.path("kvs");
		return (kvs.size() > 0) ? DECODER.decode(kvs.get(0).path("value").asString()) : null;
	}

	@Override
	public boolean compareAndSwap(String key, byte[] expected, byte[] value) {
		String name = base64(key);
		return post(this.txn,
				"{\"compare\":[{\"key\":\"" + name + "\",\"target\":\"VALUE\",\"result\":\"EQUAL\",\"value\":\""
						+ base64(expected) + "\"}],\"success\":[{\"request_put\":{\"key\":\"" + name + "\",\"value\":\""
						+ base64(value) + "\"}}]}")
			.path("succeeded")
			.asBoolean();
	}

	private JsonNode post(URI uri, String body) {
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(TIMEOUT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			HttpResponse<byte[]> response = this.httpClient.send(request, HttpResponse.BodyHandlers.ofByteArray());
			this.lastVersion = response.version();
			if (response.statusCode() != 200) {
				throw new IllegalStateException("POST " + uri.getPath() + " answered " + response.statusCode() + ": "
						+ new String(response.body(), StandardCharsets.UTF_8));
			}
			return this.json.readTree(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("POST " + uri.getPath() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted during POST " + uri.getPath(), ex);
		}
	}

	/**
	 * The HTTP version of the last answer.
	 * @return such as {@code HTTP_1_1}
	 */
	String lastVersion() {
		return this.lastVersion.name();
	}

	private static String base64(String text) {
		return base64(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String base64(byte[] bytes) {
		return ENCODER.encodeToString(bytes);
	}

}
