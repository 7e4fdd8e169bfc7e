package org.etcdspring.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Minimal client for etcd's HTTP/JSON gateway, so the tests depend on nothing but etcd.
 *
 * @author etcd-spring
 */
final class EtcdHttp {

	private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private EtcdHttp() {
	}

	static void put(String endpoint, String key, String value) throws IOException, InterruptedException {
		HttpResponse<String> response = post(endpoint, "/v3/kv/put",
				"{\"key\":\"" + base64(key) + "\",\"value\":\"" + base64(value) + "\"}", TIMEOUT);
		if (response.statusCode() != 200) {
			throw new IOException("put failed: " + response.statusCode() + " " + response.body());
		}
	}

	/**
	 * Read the raw JSON of a range request for one key, whose values are base64 encoded.
	 */
	static String range(String endpoint, String key) throws IOException, InterruptedException {
		return post(endpoint, "/v3/kv/range", "{\"key\":\"" + base64(key) + "\"}", TIMEOUT).body();
	}

	static HttpResponse<String> post(String endpoint, String path, String json, Duration timeout)
			throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path))
			.timeout(timeout)
			.POST(BodyPublishers.ofString(json))
			.build();
		return client.send(request, BodyHandlers.ofString());
	}

	static String health(String endpoint) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/health")).timeout(TIMEOUT).build();
		return client.send(request, BodyHandlers.ofString()).body();
	}

	static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

}
