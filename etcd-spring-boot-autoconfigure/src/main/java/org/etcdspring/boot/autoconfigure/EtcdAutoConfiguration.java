package org.etcdspring.boot.autoconfigure;

import java.time.Duration;

import tools.jackson.databind.json.JsonMapper;

import org.etcdspring.core.EtcdOperations;
import org.etcdspring.core.EtcdTemplate;
import org.etcdspring.core.EtcdValueConverter;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.transport.EtcdRequestObserver;
import org.etcdspring.core.transport.EtcdTransport;

import io.micrometer.observation.ObservationRegistry;

import org.etcdspring.observation.ObservationEtcdRequestObserver;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for etcd: the transport to the cluster and an
 * {@link EtcdTemplate}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass(EtcdTemplate.class)
@EnableConfigurationProperties(EtcdProperties.class)
public final class EtcdAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(EtcdConnectionDetails.class)
	PropertiesEtcdConnectionDetails etcdConnectionDetails(EtcdProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		return new PropertiesEtcdConnectionDetails(properties, sslBundles.getIfAvailable());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	EtcdTransport etcdTransport(EtcdProperties properties, EtcdConnectionDetails connectionDetails,
			ObjectProvider<EtcdRequestObserver> requestObserver) {
		SslBundle sslBundle = connectionDetails.getSslBundle();
		return EtcdTransport.builder(connectionDetails.getEndpoints())
			.connectTimeout(positive("etcd.connect-timeout", properties.getConnectTimeout()))
			.requestTimeout(positive("etcd.request-timeout", properties.getRequestTimeout()))
			.sslContext((sslBundle != null) ? sslBundle.createSslContext() : null)
			.credentials(connectionDetails.getUsername(), connectionDetails.getPassword())
			.requestObserver(requestObserver.getIfAvailable(() -> EtcdRequestObserver.NONE))
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

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	@ConditionalOnBean(ObservationRegistry.class)
	static class EtcdObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EtcdRequestObserver etcdRequestObserver(ObservationRegistry observationRegistry) {
			return new ObservationEtcdRequestObserver(observationRegistry);
		}

	}

	private static Duration positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "It must be a positive duration.");
		}
		return value;
	}

}
