package org.etcdspring.core.transport;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdAuthenticationException;

/**
 * The authentication token of a transport with credentials: obtained on first use,
 * shared by every call and stream, and obtained again once the server rejects it (etcd's
 * simple tokens expire, five minutes by default).
 *
 * @author etcd-spring
 */
final class AuthTokens {

	private final String username;

	private final String password;

	private final AtomicReference<@Nullable String> token = new AtomicReference<>();

	AuthTokens(String username, String password) {
		this.username = username;
		this.password = password;
	}

	/**
	 * The current token, authenticating first when there is none.
	 */
	String token(Function<Auth.AuthenticateRequest, Auth.AuthenticateResponse> authenticate) {
		String current = this.token.get();
		if (current != null) {
			return current;
		}
		synchronized (this) {
			current = this.token.get();
			if (current == null) {
				Auth.AuthenticateResponse response = authenticate
					.apply(new Auth.AuthenticateRequest(this.username, this.password));
				if (response.token() == null || response.token().isEmpty()) {
					throw new EtcdAuthenticationException("etcd authentication of user '" + this.username
							+ "' returned no token: authentication is not enabled on the server", "authenticate", null,
							null, null);
				}
				current = response.token();
				this.token.set(current);
			}
			return current;
		}
	}

	/**
	 * Forget a token the server rejected, unless another caller already replaced it.
	 */
	void invalidate(String rejected) {
		this.token.compareAndSet(rejected, null);
	}

	/**
	 * Whether an authentication failure means the token (not the credentials) is bad.
	 */
	static boolean isTokenRejected(EtcdAuthenticationException failure) {
		String message = String.valueOf(failure.getMessage());
		return message.contains("invalid auth token") || message.contains("auth store is old")
				|| message.contains("user name is empty");
	}

}
