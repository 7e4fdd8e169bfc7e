package org.etcdspring.core.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdOutcomeUnknownException;
import org.etcdspring.core.EtcdRequestTooLargeException;
import org.etcdspring.core.EtcdTimeoutException;
import org.etcdspring.core.EtcdUnavailableException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failover decisions, for error answers recorded from etcd 3.4.23 and 3.5.30 (a
 * follower whose leader is stopped, a member without quorum) and for I/O failures: which
 * calls may go on to another endpoint, and what a caller is told.
 */
class FailoverPolicyTests {

	private static final String ENDPOINT = "http://127.0.0.1:2379";

	@Test
	void readsShouldMoveOnWhenTheServerIsUnavailableOrGivesUp() {
		for (GatewayError error : new GatewayError[] { error34(503, 14, "etcdserver: request timed out"),
				error34(500, 2, "context deadline exceeded"), error35(504, 4, "context deadline exceeded"),
				error35(503, 14, "etcdserver: leader changed"), error35(503, 14, "etcdserver: no leader") }) {
			assertThat(GatewayErrorTranslator.mayRetry(error, true)).as(error.toString()).isTrue();
		}
	}

	@Test
	void readThatTheServerGaveUpOnShouldBeATimeout() {
		assertThat(translate(error34(500, 2, "context deadline exceeded"), true))
			.isInstanceOf(EtcdTimeoutException.class);
		assertThat(translate(error35(504, 4, "context deadline exceeded"), true))
			.isInstanceOf(EtcdTimeoutException.class);
	}

	@Test
	void writeThatTimedOutOnTheServerShouldNotMoveOnAndMayHaveApplied() {
		GatewayError timedOut = error34(503, 14,
				"etcdserver: request timed out, possibly due to previous leader failure");
		assertThat(GatewayErrorTranslator.mayRetry(timedOut, false)).isFalse();
		assertThat(translate(timedOut, false)).isInstanceOf(EtcdOutcomeUnknownException.class)
			.hasMessageContaining("may have been applied");
		GatewayError deadline = error35(504, 4, "context deadline exceeded");
		assertThat(GatewayErrorTranslator.mayRetry(deadline, false)).isFalse();
		assertThat(translate(deadline, false)).isInstanceOf(EtcdTimeoutException.class)
			.hasMessageContaining("may have been applied");
	}

	@Test
	void writeThatAnUnknownUnavailableAnswerRefusedShouldHaveAnUnknownOutcome() {
		GatewayError stopped = error35(503, 14, "etcdserver: server stopped");
		assertThat(GatewayErrorTranslator.mayRetry(stopped, false)).isFalse();
		assertThat(translate(stopped, false)).isInstanceOf(EtcdOutcomeUnknownException.class);
	}

	@Test
	void writeThatTheServerRefusedBeforeProposingShouldMoveOn() {
		for (GatewayError error : new GatewayError[] { error35(503, 14, "etcdserver: no leader"),
				error35(503, 14, "etcdserver: unhealthy cluster"), error34(500, 2, "raft proposal dropped"),
				error35(429, 8, "etcdserver: too many requests") }) {
			assertThat(GatewayErrorTranslator.mayRetry(error, false)).as(error.toString()).isTrue();
			assertThat(translate(error, false)).as(error.toString())
				.isInstanceOf(EtcdUnavailableException.class)
				.hasMessageContaining("nothing was written");
		}
	}

	@Test
	void requestOverTheLimitShouldNeitherMoveOnNorBeUnavailable() {
		GatewayError tooLarge = error35(400, 8, "trying to send message larger than max (2097162 vs. 2097152)");
		assertThat(GatewayErrorTranslator.mayRetry(tooLarge, false)).isFalse();
		assertThat(translate(tooLarge, false)).isInstanceOf(EtcdRequestTooLargeException.class);
	}

	@Test
	void connectionFailuresShouldMoveOnOnlyWhenTheRequestNeverLeftOrIsARead() {
		IOException refused = new ConnectException("Connection refused");
		IOException dropped = new IOException("HTTP/1.1 header parser received no bytes");
		IOException timeout = new HttpTimeoutException("request timed out");
		assertThat(GatewayErrorTranslator.mayRetry(refused, false)).isTrue();
		assertThat(GatewayErrorTranslator.mayRetry(dropped, false)).isFalse();
		assertThat(GatewayErrorTranslator.mayRetry(timeout, false)).isFalse();
		assertThat(GatewayErrorTranslator.mayRetry(dropped, true)).isTrue();
		assertThat(GatewayErrorTranslator.mayRetry(timeout, true)).isTrue();
		assertThat(GatewayErrorTranslator.translate(dropped, "put", "k", ENDPOINT, false, Duration.ofSeconds(1)))
			.isInstanceOf(EtcdOutcomeUnknownException.class);
		assertThat(GatewayErrorTranslator.translate(refused, "put", "k", ENDPOINT, false, Duration.ofSeconds(1)))
			.isInstanceOf(EtcdUnavailableException.class);
	}

	@Test
	void aRefusedConnectionShouldSaySoAndATimeoutOnlyWhenItWasOne() {
		IOException refused = new ConnectException();
		refused.initCause(new ConnectException("Connection refused"));
		IOException connectTimeout = new HttpConnectTimeoutException("HTTP connect timed out");
		connectTimeout.initCause(new ConnectException("HTTP connect timed out"));
		assertThat(GatewayErrorTranslator.isRefused(refused)).isTrue();
		assertThat(GatewayErrorTranslator.isRefused(connectTimeout)).isFalse();
		assertThat(GatewayErrorTranslator.translate(refused, "put", "k", ENDPOINT, false, Duration.ofSeconds(1)))
			.isInstanceOf(EtcdUnavailableException.class)
			.hasMessageContaining("connection refused")
			.hasMessageContaining("nothing was written")
			.hasMessageNotContaining("timed out");
		assertThat(GatewayErrorTranslator.translate(connectTimeout, "get", "k", ENDPOINT, true, Duration.ofSeconds(1)))
			.isInstanceOf(EtcdUnavailableException.class)
			.hasMessageContaining("timed out")
			.hasMessageNotContaining("refused");
	}

	@Test
	void anInterruptedWriteShouldHaveAnUnknownOutcome() {
		IOException interrupted = new InterruptedIOException("Interrupted while waiting for " + ENDPOINT);
		assertThat(GatewayErrorTranslator.translate(interrupted, "put", "k", ENDPOINT, false, Duration.ofSeconds(1)))
			.isInstanceOf(EtcdOutcomeUnknownException.class)
			.hasMessageContaining("interrupted")
			.hasMessageContaining("may have been applied");
		assertThat(GatewayErrorTranslator.translate(interrupted, "get", "k", ENDPOINT, true, Duration.ofSeconds(1)))
			.isNotInstanceOf(EtcdOutcomeUnknownException.class)
			.hasMessageContaining("interrupted");
	}

	@Test
	void onlyErrorsOfOneOperationShouldSplitABatch() {
		assertThat(GatewayErrorTranslator.belongsToOneOperation(error34(403, 7, "etcdserver: permission denied")))
			.isTrue();
		assertThat(
				GatewayErrorTranslator.belongsToOneOperation(error34(404, 5, "etcdserver: requested lease not found")))
			.isTrue();
		assertThat(GatewayErrorTranslator
			.belongsToOneOperation(error34(400, 3, "etcdserver: too many operations in txn request"))).isTrue();
		assertThat(GatewayErrorTranslator.belongsToOneOperation(error34(413, 8, "etcdserver: request is too large")))
			.isTrue();
		assertThat(GatewayErrorTranslator.belongsToOneOperation(error34(503, 14, "etcdserver: request timed out")))
			.isFalse();
		assertThat(GatewayErrorTranslator.belongsToOneOperation(error34(503, 14, "etcdserver: no leader"))).isFalse();
		assertThat(GatewayErrorTranslator.belongsToOneOperation(error35(429, 8, "etcdserver: too many requests")))
			.isFalse();
		assertThat(GatewayErrorTranslator.belongsToOneOperation(error34(401, 16, "etcdserver: invalid auth token")))
			.isFalse();
	}

	private static EtcdException translate(GatewayError error, boolean idempotent) {
		return GatewayErrorTranslator.translate(error, "put", "k", ENDPOINT, idempotent);
	}

	private static GatewayError error34(int status, int code, String message) {
		return parse(status, "{\"error\":\"" + message + "\",\"message\":\"" + message + "\",\"code\":" + code + "}");
	}

	private static GatewayError error35(int status, int code, String message) {
		return parse(status, "{\"code\":" + code + ", \"message\":\"" + message + "\"}");
	}

	private static GatewayError parse(int status, String body) {
		return GatewayError.parse(status, body.getBytes(StandardCharsets.UTF_8), EtcdTransport.wireMapper().reader());
	}

}
