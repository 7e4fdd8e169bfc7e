package org.etcdspring.sample;

import java.net.URI;

import org.etcdspring.boot.autoconfigure.EtcdConnectionDetails;
import org.etcdspring.test.EtcdLocalCluster;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Starts a single-member etcd on a free loopback port for the application and stops it
 * with the application context; {@code --sample.local-etcd=false} uses {@code etcd.peers}
 * instead, for a second instance on the same etcd.
 *
 * @author etcd-spring
 */
@TestConfiguration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sample.local-etcd", havingValue = "true", matchIfMissing = true)
public class LocalEtcdConfiguration {

	@Bean(destroyMethod = "close")
	EtcdLocalCluster localEtcd() {
		return EtcdLocalCluster.start(1);
	}

	@Bean
	EtcdConnectionDetails etcdConnectionDetails(EtcdLocalCluster localEtcd) {
		return () -> localEtcd.endpoints().stream().map(URI::create).toList();
	}

}
