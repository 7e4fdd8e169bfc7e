package org.etcdspring.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running {@code etcdctl} (API v3) whose output the test reads line by line. Closing
 * it sends SIGTERM (on which {@code etcdctl elect} resigns) and waits for it to end.
 * The executable is {@code ETCDCTL_BIN}, or {@code etcdctl} on the {@code PATH}; a
 * missing one fails the test.
 */
public final class Etcdctl implements AutoCloseable {

	private final Process process;

	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	private final List<String> seen = new ArrayList<>();

	private Etcdctl(Process process) {
		this.process = process;
		Thread reader = new Thread(this::readOutput, "etcdctl-output");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Start {@code etcdctl --endpoints=<endpoint> <args>}.
	 * @param endpoint the client URL
	 * @param args the command and its arguments
	 * @return the running process
	 */
	public static Etcdctl start(String endpoint, String... args) {
		List<String> command = new ArrayList<>(List.of(binary().toString(), "--endpoints=" + endpoint));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("ETCDCTL_API", "3");
		try {
			return new Etcdctl(builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + command, ex);
		}
	}

	private static Path binary() {
		String configured = System.getenv("ETCDCTL_BIN");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			Path candidate = Path.of(directory, "etcdctl");
			if (!directory.isEmpty() && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("etcdctl not found (looked at ETCDCTL_BIN, PATH): "
				+ "apt-get install -y etcd-client, or set ETCDCTL_BIN");
	}

	private void readOutput() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			// The process ended.
		}
	}

	/**
	 * Wait for an output line.
	 * @param expected the whole line expected
	 * @param timeout how long to wait at most
	 * @throws AssertionError when it does not come in time
	 */
	public void awaitLine(String expected, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			String line = this.lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			if (line == null) {
				throw new AssertionError("etcdctl did not print '" + expected + "' within " + timeout
						+ "; it printed " + this.seen);
			}
			this.seen.add(line);
			if (line.equals(expected)) {
				return;
			}
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		}
	}

}
