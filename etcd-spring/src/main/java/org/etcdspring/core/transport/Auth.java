package org.etcdspring.core.transport;

import org.jspecify.annotations.Nullable;

/**
 * The gateway's authentication messages.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
final class Auth {

	static final EtcdRpc<AuthenticateRequest, AuthenticateResponse> AUTHENTICATE = EtcdRpc.post("authenticate",
			"/v3/auth/authenticate", AuthenticateResponse.class, true);

	private Auth() {
	}

	record AuthenticateRequest(String name, String password) {

		@Override
		public String toString() {
			return "AuthenticateRequest[name=" + this.name + ", password=******]";
		}

	}

	record AuthenticateResponse(Kv.@Nullable ResponseHeader header, @Nullable String token) {

		@Override
		public String toString() {
			return "AuthenticateResponse[token=******]";
		}

	}

}
