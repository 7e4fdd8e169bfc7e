package org.etcdspring.boot.testcontainers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;

/**
 * A CA and a server certificate it signed, made at test time with {@code openssl}, for
 * the address a container is reached at.
 */
final class ServerCertificates implements AutoCloseable {

	final Path directory;

	private ServerCertificates(Path directory) {
		this.directory = directory;
	}

	/**
	 * Certificates for {@code host}: {@code ca.crt}, {@code server.crt} and
	 * {@code server.key}.
	 * @param host the host name or IP address clients connect to
	 */
	static ServerCertificates forHost(String host) throws IOException, InterruptedException {
		ServerCertificates certificates = new ServerCertificates(Files.createTempDirectory("etcd-container-tls-"));
		String hostName = isIpAddress(host) ? "IP:" + host : "DNS:" + host;
		certificates.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test-ca",
				"-keyout", "ca.key", "-out", "ca.crt");
		Files.writeString(certificates.file("server.ext"), "subjectAltName=" + hostName
				+ ",DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
		certificates.openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=etcd", "-keyout", "server.key",
				"-out", "server.csr");
		certificates.openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
				"-CAcreateserial", "-days", "1", "-extfile", "server.ext", "-out", "server.crt");
		return certificates;
	}

	Path file(String name) {
		return this.directory.resolve(name);
	}

	private static boolean isIpAddress(String host) {
		return host.matches("[0-9.]+") || host.contains(":");
	}

	private void openssl(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).directory(this.directory.toFile())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
		}
	}

	@Override
	public void close() throws IOException {
		FileSystemUtils.deleteRecursively(this.directory);
	}

}
