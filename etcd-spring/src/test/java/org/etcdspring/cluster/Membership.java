package org.etcdspring.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds and removes members through etcd's gateway with the JDK's HTTP client, as
 * {@code etcdctl member add/remove} would: the library under test offers no membership
 * changes, and the tests must not depend on an {@code etcdctl} matching {@code ETCD_BIN}.
 */
final class Membership {

	private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private static final Pattern ADDED_ID = Pattern.compile("\"member\"\\s*:\\s*\\{\\s*\"ID\"\\s*:\\s*\"(\\d+)\"");

	private Membership() {
	}

	/**
	 * Add a member with the given peer URL. etcd refuses membership changes as an
	 * "unhealthy cluster" until its members have been connected for 5 seconds, so a young
	 * cluster is asked again for up to 15 seconds.
	 * @return the new member's ID
	 */
	static long add(String endpoint, String peerUrl, boolean learner) {
		String body = postWhenHealthy(endpoint, "/v3/cluster/member/add",
				"{\"peerURLs\":[\"" + peerUrl + "\"]" + (learner ? ",\"isLearner\":true" : "") + "}");
		Matcher id = ADDED_ID.matcher(body);
		if (!id.find()) {
			throw new IllegalStateException("member add answered " + body);
		}
		return Long.parseUnsignedLong(id.group(1));
	}

	static void remove(String endpoint, long id) {
		postWhenHealthy(endpoint, "/v3/cluster/member/remove", "{\"ID\":\"" + Long.toUnsignedString(id) + "\"}");
	}

	private static String postWhenHealthy(String endpoint, String path, String json) {
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (true) {
			try {
				return post(endpoint, path, json);
			}
			catch (IllegalStateException ex) {
				if (!ex.getMessage().contains("unhealthy cluster") || System.nanoTime() > deadline) {
					throw ex;
				}
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	private static String post(String endpoint, String path, String json) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path))
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		try {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
