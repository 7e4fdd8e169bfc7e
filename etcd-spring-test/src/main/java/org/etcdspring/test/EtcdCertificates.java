package org.etcdspring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made with {@code openssl} in a temporary directory that
 * {@link #close()} deletes: a CA ({@code ca.crt}, {@code ca.key}), a server certificate
 * it signed for 127.0.0.1 and the hosts given, nothing else ({@code server.crt},
 * {@code server.key}), a client certificate it signed ({@code client.crt},
 * {@code client.key}), and a second, unrelated CA ({@code other-ca.crt}) for tests of
 * certificates that must be refused.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdCertificates implements AutoCloseable {

	private final Path directory;

	private EtcdCertificates(Path directory) {
		this.directory = directory;
	}

	/**
	 * Make the certificates.
	 * @param serverHosts host names or IP addresses the server certificate names besides
	 * 127.0.0.1 (such as the address a container is reached at); tests of host name
	 * verification rely on it naming nothing else, not even localhost
	 * @return the certificates
	 * @throws IllegalStateException if {@code openssl} is missing or fails
	 */
	public static EtcdCertificates create(String... serverHosts) {
		EtcdCertificates certificates;
		try {
			certificates = new EtcdCertificates(Files.createTempDirectory("etcd-tls-"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a directory for the certificates", ex);
		}
		try {
			certificates.ca("ca");
			certificates.ca("other-ca");
			// etcd's gateway dials its own gRPC port with the server certificate, so it
			// must also be a client certificate
			certificates.signed("server", "subjectAltName=" + String.join(",", subjectAltNames(serverHosts))
					+ "\nextendedKeyUsage=serverAuth,clientAuth\n");
			certificates.signed("client", "extendedKeyUsage=clientAuth\n");
			return certificates;
		}
		catch (RuntimeException ex) {
			certificates.close();
			throw ex;
		}
	}

	private static Set<String> subjectAltNames(String... hosts) {
		Set<String> names = new LinkedHashSet<>(List.of("IP:127.0.0.1"));
		for (String host : hosts) {
			Objects.requireNonNull(host, "serverHosts");
			names.add((host.matches("[0-9.]+") || host.contains(":")) ? "IP:" + host : "DNS:" + host);
		}
		return names;
	}

	/**
	 * One of the files, such as {@code ca.crt} or {@code client.key}.
	 * @param name the file's name
	 * @return its path
	 */
	public Path file(String name) {
		return this.directory.resolve(name);
	}

	/**
	 * The launcher's TLS settings: the server certificate, and the CA of the client
	 * certificates.
	 * @return the settings
	 */
	public EtcdTls etcdTls() {
		return new EtcdTls(file("server.crt"), file("server.key"), file("ca.crt"));
	}

	private void ca(String name) {
		openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=" + name, "-keyout",
				name + ".key", "-out", name + ".crt");
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

	/**
	 * Run {@code openssl} in the directory, for a file the tests need beyond the default
	 * ones (a PKCS#12 bundle of the client certificate, say).
	 * @param args its arguments
	 * @throws IllegalStateException if it is missing or fails
	 */
	public void openssl(String... args) {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).directory(this.directory.toFile())
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run openssl, which makes the test certificates", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while making certificates", ex);
		}
	}

	/**
	 * Delete the certificates and their directory.
	 */
	@Override
	public void close() {
		Directories.deleteRecursively(this.directory);
	}

}
