package org.etcdspring.benchmarks.clients;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;

import org.etcdspring.test.EtcdTls;

/**
 * Certificates for a TLS run, made with {@code openssl} in a temporary directory: a CA, a
 * server certificate for 127.0.0.1 and a client certificate signed by it (the launcher's
 * TLS members require client certificates). Gives the launcher its {@link EtcdTls} and
 * every client the same CA and client certificate.
 *
 * @author etcd-spring
 */
public final class ClientTls implements AutoCloseable {

	private static final char[] PASSWORD = "benchmark".toCharArray();

	private final Path directory;

	private ClientTls(Path directory) {
		this.directory = directory;
	}

	/**
	 * Make the certificates.
	 * @return the certificates
	 * @throws IllegalStateException if {@code openssl} is missing or fails
	 */
	public static ClientTls create() {
		ClientTls tls;
		try {
			tls = new ClientTls(Files.createTempDirectory("etcd-benchmark-tls-"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a directory for the certificates", ex);
		}
		try {
			tls.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=ca", "-keyout",
					"ca.key", "-out", "ca.crt");
			// etcd's gateway dials its own gRPC port with the server certificate, so it must also be a client certificate
			tls.signed("server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
			tls.signed("client", "extendedKeyUsage=clientAuth\n");
			tls.openssl("pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-out", "client.p12",
					"-passout", "pass:" + new String(PASSWORD));
			return tls;
		}
		catch (RuntimeException ex) {
			tls.close();
			throw ex;
		}
	}

	/**
	 * The launcher's TLS settings: the server certificate, and the CA of the client
	 * certificates.
	 * @return the settings
	 */
	public EtcdTls etcdTls() {
		return new EtcdTls(file("server.crt"), file("server.key"), file("ca.crt"));
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
			throw new UncheckedIOException("Could not read the certificates in " + this.directory, ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not load the certificates in " + this.directory, ex);
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
			throw new IllegalStateException("Could not load the certificates in " + this.directory + " for jetcd", ex);
		}
	}

	private Path file(String name) {
		return this.directory.resolve(name);
	}

	private void signed(String name, String extensions) {
		try {
			Files.writeString(file(name + ".ext"), extensions);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", name + ".key", "-out",
				name + ".csr");
		openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days",
				"1", "-extfile", name + ".ext", "-out", name + ".crt");
	}

	private void openssl(String... args) {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).directory(this.directory.toFile())
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("openssl " + args[0] + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run openssl, which makes the certificates of --tls", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while making certificates", ex);
		}
	}

	@Override
	public void close() {
		try (Stream<Path> files = Files.walk(this.directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not delete " + this.directory, ex);
		}
	}

}
