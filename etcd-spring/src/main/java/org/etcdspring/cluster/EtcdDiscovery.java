package org.etcdspring.cluster;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Durations;
import org.etcdspring.core.transport.EtcdTransport;

import org.springframework.util.Assert;

/**
 * Finds the client URLs of an etcd cluster from a discovery source: either the token URL
 * of an etcd discovery service (such as {@code https://discovery.etcd.io/<token>}), whose
 * document names the members' peer URLs, each of which is then asked for the member list;
 * or {@code srv:<domain>}, whose DNS SRV records {@code _etcd-client-ssl._tcp} and
 * {@code _etcd-client._tcp} name https and http client endpoints.
 *
 * <p>
 * The endpoints found share one scheme: https when any is found, the http ones left out
 * with a warning. When the endpoints will receive credentials, the token URL must be
 * https and plain http endpoints are refused, unless plain-text credentials are
 * {@linkplain Builder#allowPlaintextCredentials(boolean) allowed}: a forged document or
 * DNS answer must not send the password elsewhere.
 *
 * <p>
 * A malformed source fails with {@link IllegalArgumentException} when the discovery is
 * built; a source that cannot be reached or names no usable member fails
 * {@link #endpoints()} with an {@link EtcdDiscoveryException} that says what was found.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdDiscovery {

	private static final Log logger = LogFactory.getLog(EtcdDiscovery.class);

	/**
	 * The prefix of a DNS SRV source, as in {@code srv:example.com}.
	 */
	public static final String SRV_PREFIX = "srv:";

	private static final Pattern DOMAIN = Pattern
		.compile("(?i)[a-z0-9_]([a-z0-9_-]*[a-z0-9])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9])?)*\\.?");

	private static final int DNS_PORT = 53;

	private final String source;

	private final @Nullable String domain;

	private final @Nullable URI tokenUrl;

	private final @Nullable URI dnsServer;

	private final Duration connectTimeout;

	private final Duration requestTimeout;

	private final @Nullable SSLContext sslContext;

	private final @Nullable SSLParameters sslParameters;

	private final boolean credentials;

	private final boolean allowPlaintextCredentials;

	private EtcdDiscovery(Builder builder) {
		this.source = builder.source;
		this.domain = builder.domain;
		this.tokenUrl = builder.tokenUrl;
		this.dnsServer = builder.dnsServer;
		this.connectTimeout = builder.connectTimeout;
		this.requestTimeout = builder.requestTimeout;
		this.sslContext = builder.sslContext;
		this.sslParameters = builder.sslParameters;
		this.credentials = builder.credentials;
		this.allowPlaintextCredentials = builder.allowPlaintextCredentials;
	}

	/**
	 * Start building a discovery from the given source.
	 * @param source a discovery token URL, or {@code srv:<domain>}
	 * @return a builder
	 * @throws IllegalArgumentException if the source is neither
	 */
	public static Builder builder(String source) {
		return new Builder(source);
	}

	/**
	 * Ask the source for the cluster's client URLs.
	 * @return the client URLs, never empty
	 * @throws EtcdDiscoveryException if the source cannot be reached or names no member
	 * with a client URL
	 */
	public List<URI> endpoints() {
		if (this.domain != null) {
			return oneChannel(
					new DnsSrvDiscovery(this.source, this.domain, this.dnsServer, this.requestTimeout).endpoints());
		}
		URI tokenUrl = this.tokenUrl;
		Assert.state(tokenUrl != null, "Either a domain or a token URL is set");
		URI origin = URI.create(tokenUrl.getScheme() + "://" + tokenUrl.getRawAuthority());
		try (EtcdTransport transport = EtcdTransport.builder(List.of(origin))
			.connectTimeout(this.connectTimeout)
			.requestTimeout(this.requestTimeout)
			.sslContext(this.sslContext)
			.sslParameters(this.sslParameters)
			.build()) {
			return oneChannel(new TokenDiscovery(this.source, tokenUrl, transport).endpoints());
		}
	}

	/**
	 * The endpoints of one scheme: https when there are any; plain http only when no
	 * credentials would travel over it, or when that is allowed.
	 */
	private List<URI> oneChannel(List<URI> found) {
		List<URI> https = found.stream().filter((endpoint) -> "https".equals(endpoint.getScheme())).toList();
		List<URI> http = found.stream().filter((endpoint) -> !"https".equals(endpoint.getScheme())).toList();
		if (!https.isEmpty()) {
			if (!http.isEmpty()) {
				logger.warn("etcd discovery through '" + this.source + "' leaves out the plain http endpoints " + http
						+ ": it uses the https ones " + https + ", one scheme for all");
			}
			return https;
		}
		if (this.credentials && !this.allowPlaintextCredentials) {
			throw new EtcdDiscoveryException(this.source,
					"it found only plain http client URLs " + http
							+ ", which would receive the credentials (user and password) in plain text; "
							+ "serve the members over https, or allow plain-text credentials explicitly",
					null);
		}
		return http;
	}

	/**
	 * The source this discovery asks.
	 * @return the source as given
	 */
	public String source() {
		return this.source;
	}

	/**
	 * Builds an {@link EtcdDiscovery}.
	 */
	public static final class Builder {

		private final String source;

		private final @Nullable String domain;

		private final @Nullable URI tokenUrl;

		private @Nullable URI dnsServer;

		private Duration connectTimeout = Duration.ofSeconds(5);

		private Duration requestTimeout = Duration.ofSeconds(10);

		private @Nullable SSLContext sslContext;

		private @Nullable SSLParameters sslParameters;

		private boolean credentials;

		private boolean allowPlaintextCredentials;

		private Builder(String source) {
			Assert.hasText(source, "etcd discovery source must not be empty");
			this.source = source.strip();
			if (this.source.regionMatches(true, 0, SRV_PREFIX, 0, SRV_PREFIX.length())) {
				String domain = this.source.substring(SRV_PREFIX.length());
				Assert.isTrue(DOMAIN.matcher(domain).matches(), () -> "etcd discovery source '" + this.source
						+ "' must name a DNS domain after 'srv:', such as srv:example.com");
				this.domain = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
				this.tokenUrl = null;
			}
			else {
				this.domain = null;
				this.tokenUrl = tokenUrl(this.source);
			}
		}

		private static URI tokenUrl(String source) {
			String expected = "etcd discovery source '" + source.replaceAll("(?<=://)[^/@]*@", "")
					+ "' must be a discovery token URL, such as https://discovery.etcd.io/<token>, or srv:<domain>";
			URI uri;
			try {
				uri = new URI(source);
			}
			catch (URISyntaxException ex) {
				throw new IllegalArgumentException(expected + " (" + ex.getReason() + ")");
			}
			boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
			boolean hasToken = uri.getRawPath() != null && uri.getRawPath().length() > 1;
			Assert.isTrue(http && uri.getHost() != null && hasToken, expected);
			Assert.isTrue(uri.getRawUserInfo() == null, () -> "etcd discovery source '" + uri.getScheme() + "://"
					+ uri.getHost() + "/...' must not carry user info");
			return uri;
		}

		/**
		 * The DNS server that answers the SRV queries of a {@code srv:} source, instead
		 * of the system's resolver.
		 * @param dnsServer {@code host} or {@code host:port} (port 53 by default), or
		 * {@code null} for the system's resolver
		 * @return this builder
		 */
		public Builder dnsServer(@Nullable String dnsServer) {
			if (dnsServer == null || dnsServer.isBlank()) {
				this.dnsServer = null;
				return this;
			}
			String expected = "DNS server '" + dnsServer + "' must be host or host:port, such as 127.0.0.1:53";
			URI uri;
			try {
				uri = new URI("dns://" + dnsServer.strip());
			}
			catch (URISyntaxException ex) {
				throw new IllegalArgumentException(expected + " (" + ex.getReason() + ")");
			}
			Assert.isTrue(uri.getHost() != null && uri.getRawPath().isEmpty() && uri.getRawUserInfo() == null,
					expected);
			this.dnsServer = URI
				.create("dns://" + uri.getHost() + ":" + ((uri.getPort() > 0) ? uri.getPort() : DNS_PORT));
			return this;
		}

		/**
		 * How long to wait for a connection to the discovery service or a peer. Default 5
		 * seconds.
		 * @param connectTimeout a positive duration
		 * @return this builder
		 */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = Durations.requirePositive(connectTimeout, "'connectTimeout'");
			return this;
		}

		/**
		 * The deadline of each request to the discovery service, a peer or the DNS
		 * server. Default 10 seconds.
		 * @param requestTimeout a positive duration
		 * @return this builder
		 */
		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = Durations.requirePositive(requestTimeout, "'requestTimeout'");
			return this;
		}

		/**
		 * The TLS context for an https discovery service and https peer URLs.
		 * @param sslContext the context, or {@code null} for the JVM's default
		 * @return this builder
		 */
		public Builder sslContext(@Nullable SSLContext sslContext) {
			this.sslContext = sslContext;
			return this;
		}

		/**
		 * The TLS parameters (protocols, cipher suites) of every connection.
		 * @param sslParameters the parameters, or {@code null} for the context's defaults
		 * @return this builder
		 */
		public Builder sslParameters(@Nullable SSLParameters sslParameters) {
			this.sslParameters = sslParameters;
			return this;
		}

		/**
		 * Whether the endpoints found will receive credentials: then the token URL must
		 * be https and plain http endpoints are refused, unless plain-text credentials
		 * are allowed.
		 * @param credentials whether a user and password will be sent
		 * @return this builder
		 */
		public Builder credentials(boolean credentials) {
			this.credentials = credentials;
			return this;
		}

		/**
		 * Whether credentials may go to endpoints found over plain http (an http token
		 * URL, http client URLs). Off by default.
		 * @param allowPlaintextCredentials whether to allow it
		 * @return this builder
		 */
		public Builder allowPlaintextCredentials(boolean allowPlaintextCredentials) {
			this.allowPlaintextCredentials = allowPlaintextCredentials;
			return this;
		}

		/**
		 * Build the discovery.
		 * @return the discovery
		 * @throws IllegalArgumentException if credentials would follow a plain http token
		 * URL without that being allowed
		 */
		public EtcdDiscovery build() {
			Assert.isTrue(
					this.tokenUrl == null || "https".equalsIgnoreCase(this.tokenUrl.getScheme()) || !this.credentials
							|| this.allowPlaintextCredentials,
					() -> "etcd discovery source '" + this.source + "' is plain http while credentials are set: "
							+ "a forged discovery document could send the user and password anywhere; "
							+ "use an https token URL, or allow plain-text credentials explicitly");
			return new EtcdDiscovery(this);
		}

	}

}
