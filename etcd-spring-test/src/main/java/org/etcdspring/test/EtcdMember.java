package org.etcdspring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.etcdspring.test.HealthProbe.Status;

/**
 * One member of an {@link EtcdLocalCluster}: a real {@code etcd} process with its own
 * ports, data directory and log file.
 * <p>
 * The member keeps its ports and data directory for its whole life, so it can be stopped,
 * killed, paused and restarted to simulate failures.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdMember {

	private static final System.Logger logger = System.getLogger(EtcdMember.class.getName());

	private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final EtcdLocalCluster cluster;

	private final EtcdCommand command;

	private final String name;

	private final int clientPort;

	private final int peerPort;

	private final int metricsPort;

	private volatile String initialCluster;

	private volatile Process process;

	private volatile boolean paused;

	EtcdMember(EtcdLocalCluster cluster, EtcdCommand command, String name, int[] ports) {
		this.cluster = cluster;
		this.command = command;
		this.name = name;
		this.clientPort = ports[0];
		this.peerPort = ports[1];
		this.metricsPort = ports[2];
	}

	/**
	 * How many ports a member listens on: client, peer and metrics.
	 */
	static final int PORTS = 3;

	/**
	 * The member's name, such as {@code m0}.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The URL that clients use to reach this member.
	 * @return the client endpoint, such as {@code http://127.0.0.1:40001}
	 */
	public String clientEndpoint() {
		return this.command.clientScheme() + "://127.0.0.1:" + this.clientPort;
	}

	/**
	 * The URL that the other members use to reach this member.
	 * @return the peer URL, such as {@code http://127.0.0.1:40002}
	 */
	public String peerUrl() {
		return "http://127.0.0.1:" + this.peerPort;
	}

	/**
	 * The plain-http URL that serves the member's {@code /health} and {@code /metrics},
	 * also when clients must use TLS.
	 * @return the metrics URL, such as {@code http://127.0.0.1:40003}
	 */
	public String metricsEndpoint() {
		return "http://127.0.0.1:" + this.metricsPort;
	}

	/**
	 * The directory in which the member keeps its data across restarts.
	 * @return the data directory
	 */
	public Path dataDirectory() {
		return this.cluster.directory().resolve(this.name);
	}

	/**
	 * The file that receives the member's standard output and error, across restarts.
	 * @return the log file
	 */
	public Path logFile() {
		return this.cluster.directory().resolve(this.name + ".log");
	}

	/**
	 * The process ID of the member's current or last process.
	 * @return the process ID
	 * @throws IllegalStateException if the member has never been started
	 */
	public long pid() {
		return startedProcess().pid();
	}

	/**
	 * Whether the member's process is alive, paused or not.
	 * @return {@code true} if the process is alive
	 */
	public boolean isRunning() {
		Process current = this.process;
		return current != null && current.isAlive();
	}

	/**
	 * Stop the member gracefully with {@code SIGTERM}, falling back to {@code SIGKILL} if
	 * it has not exited after 10 seconds. Does nothing if the member is not running.
	 */
	public synchronized void stop() {
		Process current = this.process;
		if (current == null || !current.isAlive()) {
			return;
		}
		// A stopped process would only act on SIGTERM once continued
		continueIfPaused();
		current.destroy();
		if (!awaitExit(current, STOP_TIMEOUT)) {
			logger.log(Level.WARNING, "etcd member {0} ignored SIGTERM for {1} ms, killing it", this.name,
					STOP_TIMEOUT.toMillis());
			kill();
		}
	}

	/**
	 * Kill the member with {@code SIGKILL} and wait until it is gone, as if the machine
	 * had crashed. Does nothing if the member is not running.
	 */
	public synchronized void kill() {
		Process current = this.process;
		if (current == null || !current.isAlive()) {
			return;
		}
		// SIGKILL ends a stopped process too, but continuing it first avoids relying on
		// that
		continueIfPaused();
		current.destroyForcibly();
		if (!awaitExit(current, STOP_TIMEOUT)) {
			throw new IllegalStateException(
					"etcd member " + this.name + " (pid " + current.pid() + ") did not exit after SIGKILL");
		}
	}

	/**
	 * Freeze the member with {@code SIGSTOP}: it keeps its sockets open but answers
	 * nothing, like a member that hangs or sits behind a network partition.
	 */
	public synchronized void pause() {
		Process current = requireRunning();
		if (!signal("STOP")) {
			throw new IllegalStateException(
					"Could not pause etcd member " + this.name + " (pid " + current.pid() + ")");
		}
		this.paused = true;
	}

	/**
	 * Let a {@linkplain #pause() paused} member continue with {@code SIGCONT}.
	 */
	public synchronized void resume() {
		Process current = requireRunning();
		if (!signal("CONT")) {
			throw new IllegalStateException(
					"Could not resume etcd member " + this.name + " (pid " + current.pid() + ")");
		}
		this.paused = false;
	}

	/**
	 * Start the member again with the same name, ports and data directory, stopping it
	 * first if it is running.
	 * <p>
	 * A single-member cluster is healthy when this method returns. A member of a larger
	 * cluster only answers on its client port by then, because it cannot be healthy while
	 * the cluster has no quorum; use {@link #awaitHealthy(Duration)} to wait for more.
	 * @throws IllegalStateException if the member does not come up within 30 seconds
	 */
	public void restart() {
		synchronized (this) {
			if (this.initialCluster == null) {
				throw new IllegalStateException("etcd member " + this.name + " has not been started");
			}
			stop();
			start(this.initialCluster, "existing");
		}
		Status minimum = (this.cluster.members().size() == 1) ? Status.HEALTHY : Status.ANSWERING;
		Optional<String> failure = await(minimum, Instant.now().plus(EtcdLocalCluster.STARTUP_TIMEOUT));
		if (failure.isPresent()) {
			kill();
			throw new IllegalStateException(
					"etcd member did not restart: " + failure.get() + MemberLogs.tails(List.of(this)));
		}
	}

	/**
	 * Wait until the member reports itself healthy, which needs a leader and so a quorum.
	 * @param timeout how long to wait at most
	 * @throws IllegalStateException if the member is not healthy in time or not running
	 */
	public void awaitHealthy(Duration timeout) {
		Optional<String> failure = await(Status.HEALTHY, Instant.now().plus(timeout));
		if (failure.isPresent()) {
			throw new IllegalStateException(failure.get() + MemberLogs.tails(List.of(this)));
		}
	}

	/**
	 * Start the member's process without waiting for it to come up.
	 * @param initialCluster the {@code --initial-cluster} value, kept for restarts
	 * @param clusterState {@code new} or {@code existing}
	 */
	synchronized void start(String initialCluster, String clusterState) {
		// Checked under the lock that close() takes to kill us, so no process escapes a
		// closed cluster
		if (this.cluster.isClosed()) {
			throw new IllegalStateException("The etcd cluster in " + this.cluster.directory() + " is closed");
		}
		List<String> commandLine = this.cluster
			.processCommandLine(this.command.commandLine(this, initialCluster, clusterState));
		logger.log(Level.DEBUG, "Starting etcd member {0}: {1}", this.name, commandLine);
		try {
			this.process = new ProcessBuilder(commandLine).redirectErrorStream(true)
				.redirectOutput(Redirect.appendTo(logFile().toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start etcd member " + this.name, ex);
		}
		this.initialCluster = initialCluster;
		this.paused = false;
	}

	/**
	 * Poll the member's health until it reaches the given status.
	 * @param minimum the status to wait for
	 * @param deadline when to give up
	 * @return why the member did not reach the status, or empty if it did
	 */
	Optional<String> await(Status minimum, Instant deadline) {
		while (true) {
			Process current = startedProcess();
			if (!current.isAlive()) {
				return Optional.of("etcd member " + this.name + " exited with code " + current.exitValue());
			}
			if (HealthProbe.check(metricsEndpoint()).reaches(minimum)) {
				return Optional.empty();
			}
			if (Instant.now().isAfter(deadline)) {
				return Optional.of("etcd member " + this.name + " at " + clientEndpoint() + " was not "
						+ minimum.description() + " in time");
			}
			try {
				Thread.sleep(POLL_INTERVAL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for etcd member " + this.name, ex);
			}
		}
	}

	private Process startedProcess() {
		Process current = this.process;
		if (current == null) {
			throw new IllegalStateException("etcd member " + this.name + " has not been started");
		}
		return current;
	}

	private Process requireRunning() {
		Process current = startedProcess();
		if (!current.isAlive()) {
			throw new IllegalStateException("etcd member " + this.name + " is not running");
		}
		return current;
	}

	private void continueIfPaused() {
		if (this.paused) {
			signal("CONT");
			this.paused = false;
		}
	}

	private boolean signal(String signal) {
		// Through the shell, whose kill builtin exists even where procps is not installed
		ProcessBuilder kill = new ProcessBuilder("/bin/sh", "-c", "kill -" + signal + " " + pid())
			.redirectErrorStream(true)
			.redirectOutput(Redirect.DISCARD);
		try {
			Process sender = kill.start();
			return awaitExit(sender, STOP_TIMEOUT) && sender.exitValue() == 0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not send SIG" + signal + " to etcd member " + this.name, ex);
		}
	}

	private static boolean awaitExit(Process process, Duration timeout) {
		// Cleanup must finish even on a thread that was interrupted, for example by a
		// test timeout
		boolean interrupted = Thread.interrupted();
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			while (true) {
				try {
					return process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public String toString() {
		return this.name + "@" + clientEndpoint();
	}

}
