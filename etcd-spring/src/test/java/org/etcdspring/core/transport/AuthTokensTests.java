package org.etcdspring.core.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.etcdspring.core.EtcdTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The waiting logic of {@link AuthTokens}: a caller waits for another caller's
 * authentication no longer than its own deadline. What etcd answers is tested against a
 * real etcd (EtcdCredentialsChannelIntegrationTests, EtcdAuthenticationIntegrationTests).
 */
class AuthTokensTests {

	@Test
	void callerWaitingForAnotherCallersAuthenticationShouldGiveUpAtItsOwnDeadline() throws Exception {
		AuthTokens tokens = new AuthTokens("root", "pw");
		CountDownLatch authenticating = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> tokens.token((request, timeout) -> {
			authenticating.countDown();
			try {
				release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return new Auth.AuthenticateResponse(null, "token-1");
		}, deadlineIn(Duration.ofSeconds(60)), 1));
		assertThat(authenticating.await(30, TimeUnit.SECONDS)).isTrue();
		long start = System.nanoTime();
		assertThatExceptionOfType(EtcdTimeoutException.class).isThrownBy(() -> tokens.token((request, timeout) -> {
			throw new AssertionError("A second authentication must not start while one is in flight");
		}, deadlineIn(Duration.ofMillis(300)), 1)).withMessageContaining("did not complete before the call's deadline");
		// Gave up near its own deadline, not after the other caller's authentication
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		release.countDown();
		assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("token-1");
		// The token obtained is shared: no second authentication
		assertThat(tokens.token((request, timeout) -> {
			throw new AssertionError("The token must be reused");
		}, deadlineIn(Duration.ofSeconds(1)), 1)).isEqualTo("token-1");
	}

	@Test
	void authenticationShouldGetTheCallersRemainingTimeSharedAmongTheEndpoints() {
		AuthTokens tokens = new AuthTokens("root", "pw");
		Duration[] given = new Duration[1];
		tokens.token((request, timeout) -> {
			given[0] = timeout;
			return new Auth.AuthenticateResponse(null, "token");
		}, deadlineIn(Duration.ofSeconds(9)), 3);
		assertThat(given[0]).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(3));
	}

	private static long deadlineIn(Duration duration) {
		return System.nanoTime() + duration.toNanos();
	}

}
