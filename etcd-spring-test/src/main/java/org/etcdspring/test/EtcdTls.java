package org.etcdspring.test;

import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS for the client port of a local cluster: the server certificate and key, and the CA
 * that signs the client certificates the members require.
 *
 * @param certFile the server certificate (PEM)
 * @param keyFile the server's private key (PEM)
 * @param trustedCaFile the CA certificate clients must be signed by (PEM)
 * @author etcd-spring
 * @since 0.1.0
 */
public record EtcdTls(Path certFile, Path keyFile, Path trustedCaFile) {

	public EtcdTls {
		Objects.requireNonNull(certFile, "certFile");
		Objects.requireNonNull(keyFile, "keyFile");
		Objects.requireNonNull(trustedCaFile, "trustedCaFile");
	}

}
