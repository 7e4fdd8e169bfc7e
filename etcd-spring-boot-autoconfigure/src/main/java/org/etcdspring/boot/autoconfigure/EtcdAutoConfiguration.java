package org.etcdspring.boot.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.etcdspring.EtcdOperations;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.cluster.DefaultClusterOperations;
import org.etcdspring.cluster.EndpointAutoSync;
import org.etcdspring.core.transport.EtcdRequestObserver;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.observation.ObservationEtcdRequestObserver;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for etcd: the connection details (listed peers or discovery), the
 * transport to the cluster, an {@link EtcdTemplate}, and the member auto-sync. With
 * {@code spring.threads.virtual.enabled} (Java 21+) the client's blocking work runs on
 * virtual threads.
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
	EtcdConnectionDetails etcdConnectionDetails(EtcdProperties properties, ObjectProvider<SslBundles> sslBundles) {
		return EtcdClients.connectionDetails(properties, sslBundles.getIfAvailable());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	EtcdTransport etcdTransport(EtcdProperties properties, EtcdConnectionDetails connectionDetails,
			ObjectProvider<EtcdRequestObserver> requestObserver, Environment environment) {
		return EtcdClients.transport(properties, connectionDetails,
				requestObserver.getIfAvailable(() -> EtcdRequestObserver.NONE),
				Threading.VIRTUAL.isActive(environment));
	}

	@Bean
	@ConditionalOnMissingBean(EtcdOperations.class)
	EtcdTemplate etcdTemplate(EtcdTransport etcdTransport, EtcdProperties properties,
			ObjectProvider<JsonMapper> jsonMapper) {
		return EtcdClients.template(etcdTransport, properties, jsonMapper.getIfAvailable(JsonMapper::new));
	}

	@Bean
	@ConditionalOnProperty("etcd.auto-sync-interval")
	@ConditionalOnMissingBean
	EndpointAutoSync etcdEndpointAutoSync(EtcdTransport etcdTransport, EtcdProperties properties) {
		return new EndpointAutoSync(new DefaultClusterOperations(etcdTransport),
				EtcdClients.positive("etcd.auto-sync-interval", properties.getAutoSyncInterval()));
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

}
