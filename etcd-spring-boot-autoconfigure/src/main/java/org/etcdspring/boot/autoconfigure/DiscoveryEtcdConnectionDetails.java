package org.etcdspring.boot.autoconfigure;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.etcdspring.cluster.EtcdDiscovery;

import org.springframework.boot.ssl.SslBundle;
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

	private final EtcdConnectionDetails credentials;

	/**
	 * Connection details with discovered endpoints.
	 * @param discovery finds the endpoints (on first use)
	 * @param credentials the user, password and SSL bundle to use with them
	 */
	DiscoveryEtcdConnectionDetails(EtcdDiscovery discovery, EtcdConnectionDetails credentials) {
		this.endpoints = SingletonSupplier.of(discovery::endpoints);
		this.credentials = credentials;
	}

	@Override
	public List<URI> getEndpoints() {
		return this.endpoints.get();
	}

	@Override
	public @Nullable String getUsername() {
		return this.credentials.getUsername();
	}

	@Override
	public @Nullable String getPassword() {
		return this.credentials.getPassword();
	}

	@Override
	public @Nullable SslBundle getSslBundle() {
		return this.credentials.getSslBundle();
	}

}
