package org.etcdspring.boot.testcontainers;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.etcdspring.boot.autoconfigure.EtcdConnectionDetails;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * {@link ContainerConnectionDetailsFactory} that makes {@code @ServiceConnection} work on
 * an {@link EtcdContainer}.
 *
 * @author etcd-spring
 */
class EtcdContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<EtcdContainer, EtcdConnectionDetails> {

	@Override
	protected EtcdConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<EtcdContainer> source) {
		return new EtcdContainerConnectionDetails(source);
	}

	private static final class EtcdContainerConnectionDetails extends ContainerConnectionDetails<EtcdContainer>
			implements EtcdConnectionDetails {

		private EtcdContainerConnectionDetails(ContainerConnectionSource<EtcdContainer> source) {
			super(source);
		}

		@Override
		public List<URI> getEndpoints() {
			return List.of(URI.create(getContainer().getEndpoint()));
		}

		@Override
		public @Nullable String getUsername() {
			return getContainer().getUsername();
		}

		@Override
		public @Nullable String getPassword() {
			return getContainer().getPassword();
		}

		/**
		 * The bundle of the field's SSL annotations, else one trusting the CA given to
		 * {@link EtcdContainer#withTls}.
		 */
		@Override
		public @Nullable SslBundle getSslBundle() {
			SslBundle annotated = super.getSslBundle();
			Path caFile = getContainer().getTrustedCaFile();
			if (annotated != null || caFile == null) {
				return annotated;
			}
			return SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate("file:" + caFile)));
		}

	}

}
