package org.etcdspring.boot.docker.compose;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.etcdspring.boot.autoconfigure.EtcdConnectionDetails;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.boot.ssl.SslBundle;

/**
 * {@link DockerComposeConnectionDetailsFactory} for an etcd service of Docker Compose:
 * the images {@code etcd-development/etcd} (gcr.io), {@code coreos/etcd} (quay.io) and
 * {@code bitnami/etcd}, whose {@code ETCD_ROOT_PASSWORD} enables authentication as
 * {@code root}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
class EtcdDockerComposeConnectionDetailsFactory extends DockerComposeConnectionDetailsFactory<EtcdConnectionDetails> {

	private static final String[] CONTAINER_NAMES = { "etcd-development/etcd", "coreos/etcd", "bitnami/etcd" };

	private static final int CLIENT_PORT = 2379;

	EtcdDockerComposeConnectionDetailsFactory() {
		super(CONTAINER_NAMES);
	}

	@Override
	protected EtcdConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
		return new EtcdDockerComposeConnectionDetails(source.getRunningService());
	}

	static final class EtcdDockerComposeConnectionDetails extends DockerComposeConnectionDetails
			implements EtcdConnectionDetails {

		private final List<URI> endpoints;

		private final @Nullable String password;

		private final @Nullable SslBundle sslBundle;

		EtcdDockerComposeConnectionDetails(RunningService service) {
			super(service);
			this.sslBundle = getSslBundle(service);
			String scheme = (this.sslBundle != null) ? "https" : "http";
			this.endpoints = List
				.of(URI.create(scheme + "://" + service.host() + ":" + service.ports().get(CLIENT_PORT)));
			String rootPassword = service.env().get("ETCD_ROOT_PASSWORD");
			this.password = (rootPassword != null && !rootPassword.isEmpty()) ? rootPassword : null;
		}

		@Override
		public List<URI> getEndpoints() {
			return this.endpoints;
		}

		@Override
		public @Nullable String getUsername() {
			return (this.password != null) ? "root" : null;
		}

		@Override
		public @Nullable String getPassword() {
			return this.password;
		}

		@Override
		public @Nullable SslBundle getSslBundle() {
			return this.sslBundle;
		}

	}

}
