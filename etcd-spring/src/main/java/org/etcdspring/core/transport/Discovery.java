package org.etcdspring.core.transport;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.util.Assert;

/**
 * The document of an etcd discovery service (the etcd v2 key format that
 * {@code discovery.etcd.io} and Debian's {@code etcd-discovery} serve for a token URL),
 * with the call that fetches it.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Discovery {

	private Discovery() {
	}

	/**
	 * The call that fetches the document of one token.
	 * @param path the token URL's path, such as {@code /3e86b59982e49066c5d813af1c2e2579}
	 * @return the call, to be sent with {@link EtcdTransport#callEndpoint}
	 */
	public static EtcdRpc<Void, Document> document(String path) {
		Assert.isTrue(path != null && path.startsWith("/"), "'path' must start with '/'");
		return new EtcdRpc<>("discovery", HttpMethod.GET, path, Document.class, true);
	}

	/**
	 * The answer to {@code GET <token URL>}: {@code {"action":"get","node":{...}}}.
	 */
	public record Document(@Nullable String action, @Nullable Node node) {

	}

	/**
	 * A node of the v2 key tree: the token's directory, whose child nodes hold
	 * {@code name=peerURL} values, one per registered member.
	 */
	public record Node(@Nullable String key, @Nullable String value, boolean dir, List<Node> nodes) {

		public Node {
			nodes = (nodes != null) ? nodes : List.of();
		}

	}

}
