package org.etcdspring.boot.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * Adapts {@link EtcdProperties} to {@link EtcdConnectionDetails}, reading each
 * {@code etcd.peers} entry as a URL or as the {@code host:port} shorthand for http.
 *
 * @author etcd-spring
 */
class PropertiesEtcdConnectionDetails implements EtcdConnectionDetails {

	private static final Pattern USER_INFO = Pattern.compile("(?<=://|^)[^/@]*@");

	private final List<URI> endpoints;

	private final EtcdProperties properties;

	private final @Nullable SslBundles sslBundles;

	PropertiesEtcdConnectionDetails(EtcdProperties properties, @Nullable SslBundles sslBundles) {
		this.endpoints = parsePeers(properties.getPeers());
		this.properties = properties;
		this.sslBundles = sslBundles;
	}

	@Override
	public List<URI> getEndpoints() {
		return this.endpoints;
	}

	@Override
	public @Nullable String getUsername() {
		return this.properties.getUsername();
	}

	@Override
	public @Nullable String getPassword() {
		return this.properties.getPassword();
	}

	@Override
	public @Nullable SslBundle getSslBundle() {
		String name = this.properties.getSsl().getBundle();
		if (name == null) {
			return null;
		}
		if (this.sslBundles == null) {
			throw new InvalidConfigurationPropertyValueException("etcd.ssl.bundle", name,
					"No SSL bundles are configured (spring.ssl.bundle.*).");
		}
		return this.sslBundles.getBundle(name);
	}

	static List<URI> parsePeers(List<String> peers) {
		if (peers == null || peers.isEmpty()) {
			throw new InvalidEtcdPeerException("etcd.peers", "", "no etcd member is configured");
		}
		List<URI> endpoints = new ArrayList<>(peers.size());
		for (int i = 0; i < peers.size(); i++) {
			endpoints.add(parsePeer("etcd.peers[" + i + "]", peers.get(i)));
		}
		if (endpoints.stream().map(URI::getScheme).distinct().count() > 1) {
			throw new InvalidEtcdPeerException("etcd.peers",
					String.join(",", endpoints.stream().map(URI::toString).toList()),
					"the entries mix http and https; use one scheme for every member, so that credentials and data "
							+ "travel only over the channel chosen");
		}
		return List.copyOf(endpoints);
	}

	private static URI parsePeer(String property, String peer) {
		String entry = (peer != null) ? peer.strip() : "";
		if (entry.isEmpty()) {
			throw new InvalidEtcdPeerException(property, entry, "the entry is empty");
		}
		// Messages show the entry without a user or password, whatever else is wrong with
		// it
		String value = USER_INFO.matcher(entry).replaceAll("");
		String url = entry.contains("://") ? entry : "http://" + entry;
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new InvalidEtcdPeerException(property, value, "it is not a URL (" + ex.getReason() + ")");
		}
		if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
			throw new InvalidEtcdPeerException(property, value,
					"the scheme must be http or https, not '" + uri.getScheme() + "'");
		}
		if (uri.getRawUserInfo() != null || !value.equals(entry)) {
			throw new InvalidEtcdPeerException(property, value,
					"a peer URL must not carry a user or password (shown here without them); "
							+ "set etcd.username and etcd.password instead");
		}
		if (uri.getHost() == null) {
			throw new InvalidEtcdPeerException(property, value, "it names no host");
		}
		if (uri.getPort() < 1 || uri.getPort() > 65535) {
			throw new InvalidEtcdPeerException(property, value,
					"it names no port (etcd's client port is usually 2379)");
		}
		if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath())) {
			throw new InvalidEtcdPeerException(property, value,
					"a peer URL has no path, found '" + uri.getRawPath() + "'");
		}
		return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
	}

}
