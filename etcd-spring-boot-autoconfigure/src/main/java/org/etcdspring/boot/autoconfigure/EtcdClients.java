package org.etcdspring.boot.autoconfigure;

import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.cluster.EtcdDiscovery;
import org.etcdspring.core.EtcdValueConverter;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.transport.EtcdRequestObserver;
import org.etcdspring.core.transport.EtcdTransport;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Builds etcd clients from {@code etcd.*} properties: the one recipe shared by the
 * auto-configuration and the {@code spring.config.import=etcd:} support, which runs
 * before any bean exists.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdClients {

	private EtcdClients() {
	}

	/**
	 * Connection details read from the properties.
	 * @param properties the etcd properties
	 * @param sslBundles the SSL bundles, for {@code etcd.ssl.bundle}
	 * @return the connection details
	 * @throws InvalidEtcdPeerException when an {@code etcd.peers} entry is malformed
	 */
	public static EtcdConnectionDetails connectionDetails(EtcdProperties properties, @Nullable SslBundles sslBundles) {
		EtcdConnectionDetails listed = new PropertiesEtcdConnectionDetails(properties, sslBundles);
		String source = properties.getDiscovery();
		return StringUtils.hasText(source)
				? new DiscoveryEtcdConnectionDetails(discovery(source, properties, listed), listed) : listed;
	}

	private static EtcdDiscovery discovery(String source, EtcdProperties properties,
			EtcdConnectionDetails credentials) {
		EtcdDiscovery.Builder discovery;
		try {
			discovery = EtcdDiscovery.builder(source);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("etcd.discovery", withoutUserInfo(source),
					ex.getMessage());
		}
		try {
			discovery.dnsServer(properties.getDiscoveryDnsServer());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("etcd.discovery-dns-server",
					properties.getDiscoveryDnsServer(), ex.getMessage());
		}
		SslBundle sslBundle = credentials.getSslBundle();
		SSLContext sslContext = (sslBundle != null) ? sslBundle.createSslContext() : null;
		discovery.connectTimeout(positive("etcd.connect-timeout", properties.getConnectTimeout()))
			.requestTimeout(positive("etcd.request-timeout", properties.getRequestTimeout()))
			.sslContext(sslContext)
			.sslParameters(sslParameters(sslBundle, sslContext))
			.credentials(credentials.getUsername() != null)
			.allowPlaintextCredentials(properties.isAllowPlaintextCredentials());
		try {
			return discovery.build();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("etcd.discovery", withoutUserInfo(source),
					ex.getMessage());
		}
	}

	private static String withoutUserInfo(String url) {
		return url.replaceAll("(?<=://)[^/@]*@", "");
	}

	/**
	 * The bundle's protocols and cipher suites, when it names any.
	 */
	static @Nullable SSLParameters sslParameters(@Nullable SslBundle sslBundle, @Nullable SSLContext sslContext) {
		if (sslBundle == null || sslContext == null || !sslBundle.getOptions().isSpecified()) {
			return null;
		}
		SSLParameters parameters = sslContext.getDefaultSSLParameters();
		SslOptions options = sslBundle.getOptions();
		if (options.getEnabledProtocols() != null) {
			parameters.setProtocols(options.getEnabledProtocols());
		}
		if (options.getCiphers() != null) {
			parameters.setCipherSuites(options.getCiphers());
		}
		return parameters;
	}

	/**
	 * A transport to the cluster.
	 * @param properties the etcd properties (timeouts)
	 * @param connectionDetails where and how to connect
	 * @param requestObserver observes each call
	 * @return the transport; the caller closes it
	 */
	public static EtcdTransport transport(EtcdProperties properties, EtcdConnectionDetails connectionDetails,
			EtcdRequestObserver requestObserver) {
		return transport(properties, connectionDetails, requestObserver, false);
	}

	/**
	 * A transport to the cluster.
	 * @param properties the etcd properties (timeouts)
	 * @param connectionDetails where and how to connect
	 * @param requestObserver observes each call
	 * @param virtualThreads whether the client's blocking work runs on virtual threads
	 * @return the transport; the caller closes it
	 */
	public static EtcdTransport transport(EtcdProperties properties, EtcdConnectionDetails connectionDetails,
			EtcdRequestObserver requestObserver, boolean virtualThreads) {
		SslBundle sslBundle = connectionDetails.getSslBundle();
		SSLContext sslContext = (sslBundle != null) ? sslBundle.createSslContext() : null;
		return EtcdTransport.builder(connectionDetails.getEndpoints())
			.connectTimeout(positive("etcd.connect-timeout", properties.getConnectTimeout()))
			.requestTimeout(positive("etcd.request-timeout", properties.getRequestTimeout()))
			.sslContext(sslContext)
			.sslParameters(sslParameters(sslBundle, sslContext))
			.credentials(connectionDetails.getUsername(), connectionDetails.getPassword())
			.allowPlaintextCredentials(properties.isAllowPlaintextCredentials())
			.requestObserver(requestObserver)
			.batching(properties.getBatching().isEnabled())
			.maxBatchOperations(properties.getBatching().getMaxOperations())
			.virtualThreads(virtualThreads)
			.build();
	}

	/**
	 * A template on a transport, with the namespace and read consistency of the
	 * properties.
	 * @param transport the transport
	 * @param properties the etcd properties
	 * @param jsonMapper the mapper for values stored as JSON
	 * @return the template; the caller closes it
	 */
	public static EtcdTemplate template(EtcdTransport transport, EtcdProperties properties, JsonMapper jsonMapper) {
		EtcdTemplate template = new EtcdTemplate(transport, new EtcdValueConverter(jsonMapper),
				Namespace.of(properties.getNamespace()), properties.getReadConsistency());
		template.setElectionPrefix(properties.getLeader().getPrefix());
		template.setElectionTtl(positive("etcd.leader.ttl", properties.getLeader().getTtl()));
		template.setLockPrefix(properties.getLock().getPrefix());
		template.setLockTtl(atLeastOneSecond("etcd.lock.ttl", properties.getLock().getTtl()));
		if (properties.getReadPageSize() <= 0) {
			throw new InvalidConfigurationPropertyValueException("etcd.read-page-size", properties.getReadPageSize(),
					"It must be a positive number of keys.");
		}
		template.setReadPageSize(properties.getReadPageSize());
		DataSize maxPrefixSize = properties.getMaxPrefixSize();
		if (maxPrefixSize == null || maxPrefixSize.toBytes() <= 0) {
			throw new InvalidConfigurationPropertyValueException("etcd.max-prefix-size", maxPrefixSize,
					"It must be a positive size, such as 64MB.");
		}
		template.setMaxPrefixBytes(maxPrefixSize.toBytes());
		return template;
	}

	private static Duration atLeastOneSecond(String property, @Nullable Duration value) {
		if (value == null || value.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new InvalidConfigurationPropertyValueException(property, value,
					"It must be at least one second: etcd leases count whole seconds.");
		}
		return value;
	}

	static Duration positive(String property, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "It must be a positive duration.");
		}
		return value;
	}

}
