package org.etcdspring.core.transport;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;

/**
 * An error answer of the gateway: the HTTP status, the gRPC status code and the server's
 * message. etcd 3.4 and 3.5 send {@code {error, code, message}}, 3.6 sends {@code {code,
 * message, details}}; anything else (a proxy's HTML page, say) keeps its text as the
 * message.
 *
 * @param httpStatus the HTTP status code
 * @param code the gRPC status code, {@code 2} (unknown) when the body had none
 * @param message the server's message
 * @author etcd-spring
 */
record GatewayError(int httpStatus, int code, String message) {

	static final int INVALID_ARGUMENT = 3;

	static final int DEADLINE_EXCEEDED = 4;

	static final int NOT_FOUND = 5;

	static final int PERMISSION_DENIED = 7;

	static final int RESOURCE_EXHAUSTED = 8;

	static final int FAILED_PRECONDITION = 9;

	static final int OUT_OF_RANGE = 11;

	static final int UNAVAILABLE = 14;

	static final int UNAUTHENTICATED = 16;

	private static final int UNKNOWN = 2;

	private static final int MAX_TEXT = 200;

	static GatewayError parse(int httpStatus, byte[] body, ObjectReader bodyReader) {
		try {
			Body parsed = bodyReader.forType(Body.class).readValue(body);
			String message = (parsed.message() != null && !parsed.message().isEmpty()) ? parsed.message()
					: parsed.error();
			if (message != null) {
				return new GatewayError(httpStatus, (parsed.code() != null) ? parsed.code() : codeOf(httpStatus),
						message);
			}
		}
		catch (JacksonException ex) {
			// Not the gateway's JSON: keep the text below.
		}
		String text = new String(body, StandardCharsets.UTF_8).strip();
		if (text.length() > MAX_TEXT) {
			text = text.substring(0, MAX_TEXT) + "...";
		}
		return new GatewayError(httpStatus, codeOf(httpStatus), text.isEmpty() ? "HTTP " + httpStatus : text);
	}

	private static int codeOf(int httpStatus) {
		return switch (httpStatus) {
			case 400 -> INVALID_ARGUMENT;
			case 401 -> UNAUTHENTICATED;
			case 403 -> PERMISSION_DENIED;
			case 404 -> NOT_FOUND;
			case 429 -> RESOURCE_EXHAUSTED;
			case 502, 503 -> UNAVAILABLE;
			case 504 -> DEADLINE_EXCEEDED;
			default -> UNKNOWN;
		};
	}

	boolean isUnavailable() {
		return this.code == UNAVAILABLE;
	}

	/**
	 * Whether the server gave up waiting, for a commit or a linearizable read: etcd 3.5
	 * says so with its own code, 3.4 with code 2 (unknown).
	 */
	boolean isDeadlineExceeded() {
		return this.code == DEADLINE_EXCEEDED
				|| (this.code == UNKNOWN && this.message.contains("context deadline exceeded"));
	}

	/**
	 * Whether the server refused the request before proposing it to Raft, so that even a
	 * write certainly had no effect: it has no leader, the cluster is unhealthy or not
	 * capable yet, Raft dropped the proposal, or the server is too far behind.
	 */
	boolean neverApplied() {
		return (this.code == UNAVAILABLE && (this.message.contains("no leader") || this.message.contains("not capable")
				|| this.message.contains("unhealthy cluster"))) || this.message.contains("raft proposal dropped")
				|| this.message.contains("too many requests");
	}

	record Body(@Nullable String error, @Nullable Integer code, @Nullable String message) {
	}

}
