package org.etcdspring.core.transport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdAuthenticationException;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdTimeoutException;

/**
 * The authentication token of a transport with credentials: obtained on first use, shared
 * by every call and stream, and obtained again once the server rejects it (etcd's simple
 * tokens expire, five minutes by default).
 *
 * <p>
 * One caller authenticates at a time; the others wait for its token, each no longer than
 * its own deadline. A rejected password is remembered for {@link #FAILURE_MEMORY}: the
 * callers of that moment fail at once with the same error instead of each making the
 * server check the password again. A server without authentication gets no token: calls
 * go without one, after one warning, as etcd's own client does.
 *
 * @author etcd-spring
 */
final class AuthTokens {

	/**
	 * How long a rejected password is remembered.
	 */
	static final Duration FAILURE_MEMORY = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(AuthTokens.class);

	private final String username;

	private final String password;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile @Nullable String token;

	private volatile @Nullable RememberedFailure failure;

	private volatile boolean authenticationDisabled;

	private volatile boolean disabledWarned;

	AuthTokens(String username, String password) {
		this.username = username;
		this.password = password;
	}

	/**
	 * The current token, authenticating first when there is none.
	 * @param authenticate sends the authenticate call with the given per-attempt timeout
	 * @param deadline the caller's deadline, in {@link System#nanoTime()}
	 * @param attempts how many endpoints an authenticate call may try
	 * @return the token, or {@code null} when the server has no authentication
	 */
	@Nullable String token(BiFunction<Auth.AuthenticateRequest, Duration, Auth.AuthenticateResponse> authenticate, long deadline,
			int attempts) {
		String current = this.token;
		if (current != null) {
			return current;
		}
		if (this.authenticationDisabled) {
			return null;
		}
		throwRememberedFailure();
		try {
			if (!this.lock.tryLock(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS)) {
				throw timeout(null);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw timeout(ex);
		}
		try {
			current = this.token;
			if (current != null || this.authenticationDisabled) {
				return current;
			}
			throwRememberedFailure();
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				throw timeout(null);
			}
			// Each endpoint the call may try gets its share, so that the whole call ends
			// in time
			Duration perAttempt = Duration.ofNanos(Math.max(remaining / Math.max(attempts, 1), 1_000_000));
			Auth.AuthenticateResponse response;
			try {
				response = authenticate.apply(new Auth.AuthenticateRequest(this.username, this.password), perAttempt);
			}
			catch (EtcdAuthenticationException ex) {
				this.failure = new RememberedFailure(ex, System.nanoTime());
				throw ex;
			}
			catch (EtcdException ex) {
				if (isAuthenticationNotEnabled(ex)) {
					disableAuthentication();
					return null;
				}
				throw ex;
			}
			if (response.token() == null || response.token().isEmpty()) {
				disableAuthentication();
				return null;
			}
			current = response.token();
			this.token = current;
			return current;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void throwRememberedFailure() {
		RememberedFailure remembered = this.failure;
		if (remembered != null && System.nanoTime() - remembered.time() < FAILURE_MEMORY.toNanos()) {
			throw remembered.failure();
		}
	}

	private EtcdTimeoutException timeout(@Nullable Throwable cause) {
		return new EtcdTimeoutException(
				"etcd authentication of user '" + this.username
						+ "' did not complete before the call's deadline (another caller is authenticating)",
				"authenticate", null, null, cause);
	}

	private void disableAuthentication() {
		this.authenticationDisabled = true;
		if (!this.disabledWarned) {
			this.disabledWarned = true;
			logger.warn("etcd credentials for user '" + this.username
					+ "' are configured, but authentication is not enabled on the server: calls go without a token");
		}
	}

	/**
	 * Forget a token the server rejected, unless another caller already replaced it.
	 */
	void invalidate(String rejected) {
		if (rejected.equals(this.token)) {
			this.token = null;
		}
	}

	/**
	 * Whether calls go without a token because the server said it has no authentication.
	 */
	boolean isAuthenticationDisabled() {
		return this.authenticationDisabled;
	}

	/**
	 * Authenticate again at the next call: the server now asks for a user, so its
	 * authentication was enabled since it said it had none.
	 */
	void authenticationEnabled() {
		this.authenticationDisabled = false;
	}

	/**
	 * Whether an authentication failure means the token (not the credentials) is bad.
	 */
	static boolean isTokenRejected(EtcdAuthenticationException failure) {
		String message = String.valueOf(failure.getMessage());
		return message.contains("invalid auth token") || message.contains("auth store is old")
				|| message.contains("user name is empty");
	}

	private static boolean isAuthenticationNotEnabled(EtcdException failure) {
		return String.valueOf(failure.getMessage()).contains("authentication is not enabled");
	}

	private record RememberedFailure(EtcdAuthenticationException failure, long time) {

	}

}
