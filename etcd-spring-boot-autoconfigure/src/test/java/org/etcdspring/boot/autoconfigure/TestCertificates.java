package org.etcdspring.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Certificates made at test time with {@code openssl}: a CA, a server certificate for
 * 127.0.0.1 and a client certificate signed by it, and a second, unrelated CA.
 */
final class TestCertificates implements AutoCloseable {

	final Path directory;

	private TestCertificates(Path directory) {
		this.directory = directory;
	}

	static TestCertificates create() throws IOException, InterruptedException {
		TestCertificates certificates = new TestCertificates(Files.createTempDirectory("etcd-tls-"));
		certificates.ca("ca");
		certificates.ca("other-ca");
		// etcd's gateway dials its own gRPC port with the server certificate, so it must also be a client certificate
		certificates.signed("server", "ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
		certificates.signed("client", "ca", "extendedKeyUsage=clientAuth\n");
		return certificates;
	}

	Path file(String name) {
		return this.directory.resolve(name);
	}

	private void ca(String name) throws IOException, InterruptedException {
		openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=" + name, "-keyout",
				name + ".key", "-out", name + ".crt");
	}

	private void signed(String name, String ca, String extensions) throws IOException, InterruptedException {
		Files.writeString(file(name + ".ext"), extensions);
		openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", name + ".key", "-out",
				name + ".csr");
		openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
				"-days", "1", "-extfile", name + ".ext", "-out", name + ".crt");
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
		try (Stream<Path> files = Files.walk(this.directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
	}

}
