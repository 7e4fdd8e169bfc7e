package org.etcdspring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code etcdctl} (v3 API) against a local cluster, for test set-up and interop
 * checks: the one next to the etcd binary, else {@code /usr/bin/etcdctl}, else
 * {@code etcdctl} on {@code PATH}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Etcdctl {

	private static final long TIMEOUT_SECONDS = 30;

	private final List<String> endpoints;

	private Etcdctl(List<String> endpoints) {
		this.endpoints = List.copyOf(endpoints);
	}

	/**
	 * An etcdctl talking to the cluster's members.
	 * @param cluster the cluster
	 * @return the etcdctl runner
	 */
	public static Etcdctl of(EtcdLocalCluster cluster) {
		return new Etcdctl(cluster.endpoints());
	}

	/**
	 * Run a command to completion.
	 * @param args the command and its arguments, such as {@code "user", "add", "root:pw"}
	 * @return what it printed
	 * @throws IllegalStateException when it fails or takes longer than 30 seconds
	 */
	public String run(String... args) {
		Process process = start(args);
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("etcdctl " + String.join(" ", args) + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new IllegalStateException("Interrupted while running etcdctl", ex);
		}
	}

	/**
	 * Start a long-running command, such as {@code lock} or {@code elect}; the caller
	 * reads its output and destroys it.
	 * @param args the command and its arguments
	 * @return the running process, stderr merged into stdout
	 */
	public Process start(String... args) {
		List<String> command = new ArrayList<>();
		command.add(binary().toString());
		command.add("--endpoints=" + String.join(",", this.endpoints));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("ETCDCTL_API", "3");
		try {
			return builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start etcdctl; install it with: apt-get install -y etcd-client",
					ex);
		}
	}

	private static Path binary() {
		Path next = EtcdBinary.locate().resolveSibling("etcdctl");
		if (Files.isExecutable(next)) {
			return next;
		}
		Path debian = Path.of("/usr/bin/etcdctl");
		return Files.isExecutable(debian) ? debian : Path.of("etcdctl");
	}

}
