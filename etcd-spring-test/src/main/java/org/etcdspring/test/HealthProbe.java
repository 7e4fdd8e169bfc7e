package org.etcdspring.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/**
 * Asks an etcd member's {@code /health} endpoint how it is doing.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
final class HealthProbe {

	private static final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofMillis(500))
		.build();

	// etcd's own health check waits up to a second for a linearizable read
	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

	private HealthProbe() {
	}

	/**
	 * Check the member that serves clients at the given endpoint.
	 * @param endpoint the client endpoint, such as {@code http://127.0.0.1:2379}
	 * @return the member's status
	 */
	static Status check(String endpoint) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/health")).timeout(REQUEST_TIMEOUT).build();
		try {
			String body = client.send(request, BodyHandlers.ofString()).body();
			return body.contains("\"health\":\"true\"") ? Status.HEALTHY : Status.ANSWERING;
		}
		catch (IOException ex) {
			return Status.UNREACHABLE;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while checking the health of " + endpoint, ex);
		}
	}

	/**
	 * How far a member has come, from not answering at all to fully healthy.
	 */
	enum Status {

		/**
		 * The member does not answer HTTP requests.
		 */
		UNREACHABLE("reachable"),

		/**
		 * The member answers but is not healthy, typically because it has no leader.
		 */
		ANSWERING("answering"),

		/**
		 * The member reports {@code "health":"true"}.
		 */
		HEALTHY("healthy");

		private final String description;

		Status(String description) {
			this.description = description;
		}

		/**
		 * Whether this status is at least as good as the given one.
		 * @param minimum the status to compare with
		 * @return {@code true} if this status reaches {@code minimum}
		 */
		boolean reaches(Status minimum) {
			return compareTo(minimum) >= 0;
		}

		/**
		 * How this status reads when it is the goal of a wait.
		 * @return an adjective such as {@code healthy}
		 */
		String description() {
			return this.description;
		}

	}

}
