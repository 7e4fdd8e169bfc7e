package org.etcdspring.boot.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.etcdspring.cluster.DefaultClusterOperations;
import org.etcdspring.cluster.EndpointAutoSync;
import org.etcdspring.cluster.EtcdDiscovery;
import org.etcdspring.core.EtcdOperations;
import org.etcdspring.core.EtcdTemplate;
import org.etcdspring.core.EtcdValueConverter;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.transport.EtcdTransport;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.util.StringUtils;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for etcd: the transport to the cluster, found through
 * {@code etcd.peers} or {@code etcd.discovery}, an {@link EtcdTemplate}, and endpoint
 * auto-sync when {@code etcd.auto-sync-interval} is set.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(EtcdTemplate.class)
@EnableConfigurationProperties(EtcdProperties.class)
public final class EtcdAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(EtcdConnectionDetails.class)
	EtcdConnectionDetails etcdConnectionDetails(EtcdProperties properties) {
		if (StringUtils.hasText(properties.getDiscovery())) {
			return new DiscoveryEtcdConnectionDetails(discovery(properties));
		}
		return new PropertiesEtcdConnectionDetails(properties);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	EtcdTransport etcdTransport(EtcdProperties properties, EtcdConnectionDetails connectionDetails) {
		return EtcdTransport.builder(connectionDetails.getEndpoints())
			.connectTimeout(positive("etcd.connect-timeout", properties.getConnectTimeout()))
			.requestTimeout(positive("etcd.request-timeout", properties.getRequestTimeout()))
			.build();
	}

	@Bean
	@ConditionalOnMissingBean(EtcdOperations.class)
	EtcdTemplate etcdTemplate(EtcdTransport etcdTransport, EtcdProperties properties,
			ObjectProvider<JsonMapper> jsonMapper) {
		EtcdValueConverter converter = new EtcdValueConverter(jsonMapper.getIfAvailable(JsonMapper::new));
		return new EtcdTemplate(etcdTransport, converter, Namespace.of(properties.getNamespace()),
				properties.getReadConsistency());
	}

	@Bean
	@ConditionalOnProperty("etcd.auto-sync-interval")
	@ConditionalOnMissingBean
	EndpointAutoSync etcdEndpointAutoSync(EtcdTransport etcdTransport, EtcdProperties properties) {
		return new EndpointAutoSync(new DefaultClusterOperations(etcdTransport),
				positive("etcd.auto-sync-interval", properties.getAutoSyncInterval()));
	}

	private static EtcdDiscovery discovery(EtcdProperties properties) {
		String source = properties.getDiscovery();
		EtcdDiscovery.Builder discovery;
		try {
			discovery = EtcdDiscovery.builder(source);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("etcd.discovery", source, ex.getMessage());
		}
		try {
			discovery.dnsServer(properties.getDiscoveryDnsServer());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("etcd.discovery-dns-server",
					properties.getDiscoveryDnsServer(), ex.getMessage());
		}
		return discovery.connectTimeout(positive("etcd.connect-timeout", properties.getConnectTimeout()))
			.requestTimeout(positive("etcd.request-timeout", properties.getRequestTimeout()))
			.build();
	}

	private static Duration positive(String property, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "It must be a positive duration.");
		}
		return value;
	}

}
