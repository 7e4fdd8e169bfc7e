package org.etcdspring.cluster;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.core.transport.Cluster;
import org.etcdspring.core.transport.Discovery;
import org.etcdspring.core.transport.EtcdTransport;

/**
 * Discovery through the token URL of an etcd discovery service: its document names each
 * registered member as {@code name=peerURL}, and the first peer that answers
 * {@code GET /members} gives the client URLs of all members.
 *
 * @author etcd-spring
 */
final class TokenDiscovery {

	private final String source;

	private final URI tokenUrl;

	private final EtcdTransport transport;

	TokenDiscovery(String source, URI tokenUrl, EtcdTransport transport) {
		this.source = source;
		this.tokenUrl = tokenUrl;
		this.transport = transport;
	}

	List<URI> endpoints() {
		List<URI> peers = peerUrls(fetchDocument());
		List<String> failures = new ArrayList<>();
		for (URI peer : peers) {
			Cluster.Member[] members;
			try {
				members = this.transport.callEndpoint(peer, Cluster.PEER_MEMBERS, null, null);
			}
			catch (EtcdException ex) {
				failures.add(ex.getMessage());
				continue;
			}
			List<URI> endpoints = DefaultClusterOperations.clientEndpoints(Arrays.asList(members));
			if (endpoints.isEmpty()) {
				throw failure("the members that " + peer + " lists have no http(s) client URL yet: "
						+ DefaultClusterOperations.toMembers(Arrays.asList(members), 0));
			}
			return endpoints;
		}
		throw failure("none of the " + peers.size() + " member(s) it lists answered GET /members on its peer URL: "
				+ String.join("; ", failures));
	}

	private Discovery.Document fetchDocument() {
		try {
			return this.transport.callEndpoint(this.tokenUrl, Discovery.document(this.tokenUrl.getRawPath()), null,
					null);
		}
		catch (EtcdException ex) {
			throw new EtcdDiscoveryException(this.source,
					"the discovery document could not be fetched (" + ex.getMessage() + ")", ex);
		}
	}

	/**
	 * The peer URLs of the registered members. A member registers
	 * {@code name=url[,name=url...]}; directories such as {@code _config} and values of
	 * another form are not members.
	 */
	private List<URI> peerUrls(Discovery.Document document) {
		Discovery.Node registry = document.node();
		if (registry == null) {
			throw failure("the answer is not a discovery document: it has no 'node'");
		}
		List<URI> peers = new ArrayList<>();
		List<String> ignored = new ArrayList<>();
		for (Discovery.Node node : registry.nodes()) {
			String value = node.value();
			if (node.dir() || value == null || value.isBlank()) {
				ignored.add(PrintableKey.of(node.key()) + (node.dir() ? " (a directory)" : " (no value)"));
				continue;
			}
			for (String member : value.split(",")) {
				URI peer = peerUrl(member.strip());
				if (peer == null) {
					ignored.add(PrintableKey.of(node.key()) + "='" + PrintableKey.of(value) + "'");
				}
				else if (!peers.contains(peer)) {
					peers.add(peer);
				}
			}
		}
		if (peers.isEmpty()) {
			throw failure("the discovery document under '" + PrintableKey.of(registry.key())
					+ "' lists no member (entries: " + (ignored.isEmpty() ? "none" : String.join(", ", ignored)) + ")");
		}
		return peers;
	}

	private static @Nullable URI peerUrl(String member) {
		int equals = member.indexOf('=');
		if (equals <= 0) {
			return null;
		}
		try {
			URI url = new URI(member.substring(equals + 1));
			boolean http = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
			return (http && url.getHost() != null && url.getPort() > 0) ? DefaultClusterOperations.withoutUserInfo(url)
					: null;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	private EtcdDiscoveryException failure(String problem) {
		return new EtcdDiscoveryException(this.source, problem, null);
	}

}
