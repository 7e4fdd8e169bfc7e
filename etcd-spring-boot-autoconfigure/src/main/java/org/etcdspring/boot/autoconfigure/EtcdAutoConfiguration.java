package org.etcdspring.boot.autoconfigure;

import java.time.Duration;

import tools.jackson.databind.json.JsonMapper;

import org.etcdspring.core.EtcdOperations;
import org.etcdspring.core.EtcdTemplate;
import org.etcdspring.core.EtcdValueConverter;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.transport.EtcdTransport;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for etcd: the transport to the cluster and an
 * {@link EtcdTemplate}, whose locks use the {@code etcd.lock.*} properties.
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
	PropertiesEtcdConnectionDetails etcdConnectionDetails(EtcdProperties properties) {
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
		EtcdTemplate template = new EtcdTemplate(etcdTransport, converter, Namespace.of(properties.getNamespace()),
				properties.getReadConsistency());
		template.setLockPrefix(properties.getLock().getPrefix());
		template.setLockTtl(atLeastOneSecond("etcd.lock.ttl", properties.getLock().getTtl()));
		return template;
	}

	private static Duration atLeastOneSecond(String property, Duration value) {
		if (value == null || value.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new InvalidConfigurationPropertyValueException(property, value,
					"It must be at least one second: etcd leases count whole seconds.");
		}
		return value;
	}

	private static Duration positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "It must be a positive duration.");
		}
		return value;
	}

}
