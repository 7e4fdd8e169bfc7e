package org.etcdspring.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;

/**
 * Administrative calls the tests make from outside the client under test, mostly through
 * a plain JDK HTTP client: compaction, lease revocation and server metrics.
 */
public final class EtcdAdmin {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private EtcdAdmin() {
	}

	public static void compact(String endpoint, long revision) {
		post(endpoint, "/v3/kv/compaction", "{\"revision\":\"" + revision + "\",\"physical\":true}");
	}

	public static void revokeLease(String endpoint, long leaseId) {
		post(endpoint, "/v3/lease/revoke", "{\"ID\":\"" + leaseId + "\"}");
	}

	/**
	 * The server's gauge of open watch streams
	 * ({@code etcd_debugging_mvcc_watch_stream_total}).
	 */
	public static long watchStreams(String endpoint) {
		return gauge(endpoint, "etcd_debugging_mvcc_watch_stream_total");
	}

	/**
	 * The server's gauge of watches on all streams
	 * ({@code etcd_debugging_mvcc_watcher_total}).
	 */
	public static long watchers(String endpoint) {
		return gauge(endpoint, "etcd_debugging_mvcc_watcher_total");
	}

	private static long gauge(String endpoint, String name) {
		String metrics = send(HttpRequest.newBuilder(URI.create(endpoint + "/metrics")).GET());
		Matcher matcher = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
		if (!matcher.find()) {
			throw new IllegalStateException("etcd metrics have no gauge " + name);
		}
		return (long) Double.parseDouble(matcher.group(1));
	}

	/**
	 * How many key/value calls (range, put, delete, txn, compact) the server has
	 * answered, from its {@code grpc_server_handled_total} counters: the gateway turns
	 * each HTTP call into one of them.
	 */
	public static long kvCalls(String endpoint) {
		String metrics = send(HttpRequest.newBuilder(URI.create(endpoint + "/metrics")).GET());
		Matcher matcher = Pattern
			.compile("(?m)^grpc_server_handled_total\\{[^}]*grpc_service=\"etcdserverpb.KV\"[^}]*\\} (\\S+)$")
			.matcher(metrics);
		long calls = 0;
		while (matcher.find()) {
			calls += (long) Double.parseDouble(matcher.group(1));
		}
		return calls;
	}

	/**
	 * A member that is not the cluster's leader, as the cluster sees it now.
	 * @param etcd the cluster
	 * @return a follower
	 */
	public static EtcdMember aFollower(EtcdServerExtension etcd) {
		try (EtcdTransport transport = EtcdTransport.builder(etcd.endpoints().stream().map(URI::create).toList())
			.build(); EtcdTemplate template = new EtcdTemplate(transport)) {
			List<URI> leaderUrls = template.cluster().leader().clientUrls();
			return etcd.cluster()
				.members()
				.stream()
				.filter((member) -> !leaderUrls.contains(URI.create(member.clientEndpoint())))
				.findFirst()
				.orElseThrow();
		}
	}

	private static String post(String endpoint, String path, String body) {
		return send(
				HttpRequest.newBuilder(URI.create(endpoint + path)).POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private static String send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("etcd answered " + response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
