package org.etcdspring.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@code etcdctl} (v3 API) process run by a test, such as {@code etcdctl lock}, with
 * its output in a temporary file. Closing it ends the process and removes the file.
 */
public final class Etcdctl implements AutoCloseable {

	private final Process process;

	private final Path output;

	private Etcdctl(Process process, Path output) {
		this.process = process;
		this.output = output;
	}

	/**
	 * Start {@code etcdctl --endpoints=<endpoint> <args>}.
	 */
	public static Etcdctl start(String endpoint, String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(binary().toString());
		command.add("--endpoints=" + endpoint);
		command.addAll(List.of(args));
		Path output = Files.createTempFile("etcdctl-", ".out");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
		builder.environment().put("ETCDCTL_API", "3");
		return new Etcdctl(builder.start(), output);
	}

	/**
	 * The executable: {@code ETCDCTL_BIN}, else {@code etcdctl} on the {@code PATH}, else
	 * {@code /usr/bin/etcdctl}. A missing one fails the test: it is never skipped.
	 */
	public static Path binary() {
		String configured = System.getenv("ETCDCTL_BIN");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String directory : path.split(File.pathSeparator)) {
				Path candidate = Path.of(directory, "etcdctl");
				if (!directory.isEmpty() && Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		Path fallback = Path.of("/usr/bin/etcdctl");
		if (!Files.isExecutable(fallback)) {
			throw new IllegalStateException("etcdctl not found (looked at ETCDCTL_BIN, PATH, /usr/bin/etcdctl): "
					+ "apt-get install -y etcd-client");
		}
		return fallback;
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Wait for the process to end.
	 * @return whether it ended in time
	 */
	public boolean waitFor(Duration timeout) throws InterruptedException {
		return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	public int exitValue() {
		return this.process.exitValue();
	}

	public String output() throws IOException {
		return Files.readString(this.output, StandardCharsets.UTF_8);
	}

	/**
	 * Wait for an output line.
	 * @param expected the whole line expected
	 * @param timeout how long to wait at most
	 * @throws AssertionError when it does not come in time
	 */
	public void awaitLine(String expected, Duration timeout) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!output().lines().anyMatch(expected::equals)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(
						"etcdctl did not print '" + expected + "' within " + timeout + "; it printed " + output());
			}
			Thread.sleep(50);
		}
	}

	@Override
	public void close() throws IOException, InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		Files.deleteIfExists(this.output);
	}

}
