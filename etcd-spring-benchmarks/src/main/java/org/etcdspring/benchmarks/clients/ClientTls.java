package org.etcdspring.benchmarks.clients;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;

import org.etcdspring.test.EtcdCertificates;
import org.etcdspring.test.EtcdTls;

/**
 * Certificates for a TLS run ({@link EtcdCertificates}: a CA, a server certificate for
 * 127.0.0.1 and a client certificate signed by it, since the launcher's TLS members
 * require client certificates). Gives the launcher its {@link EtcdTls} and every client
 * the same CA and client certificate.
 *
 * @author etcd-spring
 */
public final class ClientTls implements AutoCloseable {

	private static final char[] PASSWORD = "benchmark".toCharArray();

	private final EtcdCertificates certificates;

	private ClientTls(EtcdCertificates certificates) {
		this.certificates = certificates;
	}

	/**
	 * Make the certificates.
	 * @return the certificates
	 * @throws IllegalStateException if {@code openssl} is missing or fails
	 */
	public static ClientTls create() {
		EtcdCertificates certificates = EtcdCertificates.create();
		try {
			certificates.openssl("pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-out", "client.p12",
					"-passout", "pass:" + new String(PASSWORD));
			return new ClientTls(certificates);
		}
		catch (RuntimeException ex) {
			certificates.close();
			throw ex;
		}
	}

	/**
	 * The launcher's TLS settings: the server certificate, and the CA of the client
	 * certificates.
	 * @return the settings
	 */
	public EtcdTls etcdTls() {
		return this.certificates.etcdTls();
	}

	/**
	 * A JDK context that trusts the CA and presents the client certificate, for
	 * etcd-spring's transport and the bare {@code HttpClient}.
	 * @return a new context
	 */
	public SSLContext sslContext() {
		try {
			KeyStore keys = KeyStore.getInstance("PKCS12");
			try (InputStream in = Files.newInputStream(file("client.p12"))) {
				keys.load(in, PASSWORD);
			}
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(keys, PASSWORD);
			KeyStore trusted = KeyStore.getInstance("PKCS12");
			trusted.load(null, null);
			try (InputStream in = Files.newInputStream(file("ca.crt"))) {
				trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
			}
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trusted);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
			return context;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Could not read the client certificate or the CA in " + file("client.p12").getParent(), ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not load the certificates in " + file("ca.crt").getParent(), ex);
		}
	}

	/**
	 * A Netty context with the same CA and client certificate, for jetcd: gRPC's, which
	 * offers HTTP/2 by ALPN as gRPC requires.
	 * @return a new context
	 */
	public SslContext nettySslContext() {
		try {
			return GrpcSslContexts.forClient()
				.trustManager(file("ca.crt").toFile())
				.keyManager(file("client.crt").toFile(), file("client.key").toFile())
				.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException(
					"Could not load the certificates in " + file("ca.crt").getParent() + " for jetcd", ex);
		}
	}

	private Path file(String name) {
		return this.certificates.file(name);
	}

	@Override
	public void close() {
		this.certificates.close();
	}

}
