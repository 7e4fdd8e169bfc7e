package org.etcdspring.boot.autoconfigure;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

import org.etcdspring.cluster.EtcdDiscovery;

import org.springframework.util.function.SingletonSupplier;

/**
 * {@link EtcdConnectionDetails} found through {@code etcd.discovery}: the discovery runs
 * when the endpoints are first asked for, typically when the transport is created, so
 * that a discovery that finds nothing fails start-up.
 *
 * @author etcd-spring
 */
class DiscoveryEtcdConnectionDetails implements EtcdConnectionDetails {

	private final Supplier<List<URI>> endpoints;

	DiscoveryEtcdConnectionDetails(EtcdDiscovery discovery) {
		this.endpoints = SingletonSupplier.of(discovery::endpoints);
	}

	@Override
	public List<URI> getEndpoints() {
		return this.endpoints.get();
	}

}
