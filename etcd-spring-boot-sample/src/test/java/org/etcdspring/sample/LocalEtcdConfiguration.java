package org.etcdspring.sample;

import java.net.URI;
import java.time.Duration;

import org.etcdspring.boot.autoconfigure.EtcdConnectionDetails;
import org.etcdspring.test.EtcdLocalCluster;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Starts a single-member etcd on a free loopback port for the application and stops it
 * with the application context; {@code --sample.local-etcd=false} uses {@code etcd.peers}
 * instead, for a second instance on the same etcd.
 * <p>
 * etcd stops last: its bean is destroyed after the beans that use it, which have resigned
 * their roles and released their locks by then, and the launcher's own JVM shutdown hook
 * waits for that instead of racing the context's.
 *
 * @author etcd-spring
 */
@TestConfiguration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sample.local-etcd", havingValue = "true", matchIfMissing = true)
public class LocalEtcdConfiguration {

	@Bean(destroyMethod = "close")
	EtcdLocalCluster localEtcd() {
		return EtcdLocalCluster.builder().closedByOwner(Duration.ofSeconds(30)).start();
	}

	@Bean
	EtcdConnectionDetails etcdConnectionDetails(EtcdLocalCluster localEtcd) {
		return () -> localEtcd.endpoints().stream().map(URI::create).toList();
	}

}
