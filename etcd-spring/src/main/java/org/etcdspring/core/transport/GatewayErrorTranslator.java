package org.etcdspring.core.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdAuthenticationException;
import org.etcdspring.core.EtcdCompactedException;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdLeaseNotFoundException;
import org.etcdspring.core.EtcdOutcomeUnknownException;
import org.etcdspring.core.EtcdPermissionDeniedException;
import org.etcdspring.core.EtcdPreconditionFailedException;
import org.etcdspring.core.EtcdRequestTooLargeException;
import org.etcdspring.core.EtcdTimeoutException;
import org.etcdspring.core.EtcdUnavailableException;
import org.etcdspring.core.PrintableKey;

/**
 * Turns gateway error answers and I/O failures into the {@link EtcdException} hierarchy.
 * The one place that knows gRPC status codes and gateway messages.
 *
 * @author etcd-spring
 */
final class GatewayErrorTranslator {

	private GatewayErrorTranslator() {
	}

	static EtcdException translate(GatewayError error, String operation, @Nullable String key, String endpoint,
			boolean idempotent) {
		String message = describe(operation, key, endpoint) + ": " + error.message() + " (gRPC code " + error.code()
				+ ", HTTP " + error.httpStatus() + ")";
		String text = error.message();
		if (error.neverApplied()) {
			return new EtcdUnavailableException(message + (idempotent ? "" : "; nothing was written"), operation, key,
					endpoint, null);
		}
		if (error.isDeadlineExceeded()) {
			return new EtcdTimeoutException(message + (idempotent ? "" : "; the write may have been applied"),
					operation, key, endpoint, null);
		}
		return switch (error.code()) {
			case GatewayError.UNAVAILABLE ->
				idempotent ? new EtcdUnavailableException(message, operation, key, endpoint, null)
						: new EtcdOutcomeUnknownException(message + "; the write may have been applied", operation, key,
								endpoint, null);
			case GatewayError.UNAUTHENTICATED ->
				new EtcdAuthenticationException(message, operation, key, endpoint, null);
			case GatewayError.PERMISSION_DENIED ->
				new EtcdPermissionDeniedException(message, operation, key, endpoint, null);
			case GatewayError.RESOURCE_EXHAUSTED ->
				new EtcdRequestTooLargeException(message, operation, key, endpoint, null);
			case GatewayError.FAILED_PRECONDITION ->
				new EtcdPreconditionFailedException(message, operation, key, endpoint, null);
			case GatewayError.OUT_OF_RANGE ->
				text.contains("compacted") ? new EtcdCompactedException(message, operation, key, endpoint, 0, null)
						: new EtcdException(message, operation, key, endpoint, null);
			case GatewayError.INVALID_ARGUMENT -> translateInvalidArgument(text, message, operation, key, endpoint);
			case GatewayError.NOT_FOUND -> text.contains("lease not found")
					? new EtcdLeaseNotFoundException(message, operation, key, endpoint, null)
					: new EtcdException(message, operation, key, endpoint, null);
			default -> new EtcdException(message, operation, key, endpoint, null);
		};
	}

	/**
	 * Whether a call that got this answer may be sent to another endpoint: always when
	 * the server certainly applied nothing; for an idempotent call also when the server
	 * was unavailable or gave up waiting, which for a write leaves the outcome unknown.
	 */
	static boolean mayRetry(GatewayError error, boolean idempotent) {
		return error.neverApplied() || (idempotent && (error.isUnavailable() || error.isDeadlineExceeded()));
	}

	/**
	 * Whether a call that failed with this I/O error may be sent to another endpoint:
	 * always when the request never left, for an idempotent call whatever the error.
	 */
	static boolean mayRetry(IOException failure, boolean idempotent) {
		// A failed TLS handshake is a configuration error: trying again only hides its
		// cause.
		return !(failure instanceof SSLException) && (idempotent || neverSent(failure));
	}

	/**
	 * Whether an error answer to a batched transaction is about one of its operations
	 * rather than the batch as a whole (permission denied, lease not found, a request too
	 * large or with too many operations, an invalid argument): the server applied
	 * nothing, and each operation must be sent on its own to learn which one it was.
	 */
	static boolean belongsToOneOperation(GatewayError error) {
		if (error.neverApplied()) {
			// Refused as a whole ("too many requests" is RESOURCE_EXHAUSTED too).
			return false;
		}
		return switch (error.code()) {
			case GatewayError.PERMISSION_DENIED, GatewayError.RESOURCE_EXHAUSTED, GatewayError.INVALID_ARGUMENT,
					GatewayError.FAILED_PRECONDITION, GatewayError.OUT_OF_RANGE ->
				true;
			case GatewayError.NOT_FOUND -> error.message().contains("lease not found");
			default -> false;
		};
	}

	/**
	 * Whether the member refused the connection: nothing listens on its port (it is down
	 * or restarting), so the request certainly never left.
	 */
	static boolean isRefused(IOException failure) {
		// The JDK client's connect timeout carries a ConnectException as its cause too.
		return !(failure instanceof HttpTimeoutException)
				&& (failure instanceof ConnectException || failure.getCause() instanceof ConnectException);
	}

	private static EtcdException translateInvalidArgument(String text, String message, String operation,
			@Nullable String key, String endpoint) {
		if (text.contains("request is too large") || text.contains("too many operations")) {
			return new EtcdRequestTooLargeException(message, operation, key, endpoint, null);
		}
		if (text.contains("authentication failed") || text.contains("user name is empty")) {
			return new EtcdAuthenticationException(message, operation, key, endpoint, null);
		}
		return new EtcdException(message, operation, key, endpoint, null);
	}

	/**
	 * Whether the request certainly never reached a server, so that even a write may be
	 * sent to another endpoint.
	 */
	static boolean neverSent(IOException failure) {
		return failure instanceof ConnectException || failure instanceof HttpConnectTimeoutException
				|| failure instanceof NoRouteToHostException || failure instanceof UnknownHostException
				|| failure instanceof SSLHandshakeException || failure.getCause() instanceof UnresolvedAddressException
				|| failure.getCause() instanceof ConnectException;
	}

	static EtcdException translate(IOException failure, String operation, @Nullable String key, String endpoint,
			boolean idempotent, Duration timeout) {
		String where = describe(operation, key, endpoint);
		if (failure instanceof HttpTimeoutException && !(failure instanceof HttpConnectTimeoutException)) {
			return new EtcdTimeoutException(
					where + ": no answer within the request timeout of " + timeout.toMillis() + " ms"
							+ (idempotent ? "" : "; the write may have been applied"),
					operation, key, endpoint, failure);
		}
		if (failure instanceof InterruptedIOException) {
			// The request may have been sent before the interrupt came.
			return idempotent
					? new EtcdException(where + ": interrupted while waiting for the answer", operation, key, endpoint,
							failure)
					: new EtcdOutcomeUnknownException(
							where + ": interrupted while waiting for the answer; the write may have been applied",
							operation, key, endpoint, failure);
		}
		if (failure instanceof SSLException) {
			return new EtcdUnavailableException(where + ": TLS handshake failed (" + failure.getMessage()
					+ "); check that etcd.ssl.bundle trusts the server's CA and holds the client certificate the server requires",
					operation, key, endpoint, failure);
		}
		String nothingWritten = idempotent ? "" : "; nothing was written";
		if (isRefused(failure)) {
			return new EtcdUnavailableException(
					where + ": cannot connect: connection refused (" + failure + ")" + nothingWritten, operation, key,
					endpoint, failure);
		}
		if (failure instanceof HttpConnectTimeoutException) {
			return new EtcdUnavailableException(
					where + ": cannot connect: connecting timed out (" + failure + ")" + nothingWritten, operation, key,
					endpoint, failure);
		}
		if (neverSent(failure)) {
			return new EtcdUnavailableException(where + ": cannot connect (" + failure + ")" + nothingWritten,
					operation, key, endpoint, failure);
		}
		if (idempotent) {
			return new EtcdUnavailableException(where + ": connection failed (" + failure + ")", operation, key,
					endpoint, failure);
		}
		return new EtcdOutcomeUnknownException(where + ": connection failed after the request was sent (" + failure
				+ "); the write may have been applied", operation, key, endpoint, failure);
	}

	static String describe(String operation, @Nullable String key, String endpoint) {
		return describe(operation, key) + " on " + endpoint;
	}

	/**
	 * For a failure before the call reached an endpoint, or after the caller stopped
	 * waiting for one.
	 */
	static String describe(String operation, @Nullable String key) {
		return "etcd " + operation + ((key != null) ? " of key '" + PrintableKey.of(key) + "'" : "") + " failed";
	}

}
