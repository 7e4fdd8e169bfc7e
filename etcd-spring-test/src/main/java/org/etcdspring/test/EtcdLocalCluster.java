package org.etcdspring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.etcdspring.test.HealthProbe.Status;

/**
 * A local etcd cluster made of real {@code etcd} processes that listen on free loopback
 * ports, for tests.
 * <p>
 * All members keep their data directories and log files under one temporary directory,
 * which {@link #close()} deletes after killing the processes. Clusters that are still
 * open when the JVM exits are closed by a shutdown hook, so neither a failed test nor an
 * aborted run leaves a process behind; only a JVM that is itself killed with
 * {@code SIGKILL} can.
 * <p>
 * The {@code etcd} executable is taken from the {@code ETCD_BIN} environment variable,
 * the {@code etcd.bin} system property, the {@code PATH} or {@code /usr/bin/etcd}, in
 * that order. Signals reach the members through the shell's {@code kill} command, so this
 * class needs a Unix-like system.
 *
 * @author etcd-spring
 * @since 0.1.0
 * @see EtcdServerExtension
 */
public final class EtcdLocalCluster implements AutoCloseable {

	static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private static final int MAX_MEMBERS = 5;

	// One retry covers a port that another process took between our probe and etcd's bind
	private static final int START_ATTEMPTS = 2;

	private static final System.Logger logger = System.getLogger(EtcdLocalCluster.class.getName());

	private static final Optional<Path> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
		.map(Path::of)
		.filter(Files::isExecutable)
		.findFirst();

	private final Path directory;

	private final EtcdCommand command;

	private final List<EtcdMember> members = new CopyOnWriteArrayList<>();

	private final Map<String, EtcdMember> preparedMembers = new ConcurrentHashMap<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final CountDownLatch closedByOwner = new CountDownLatch(1);

	private final Duration ownerGracePeriod;

	private EtcdLocalCluster(Path directory, EtcdCommand command, Duration ownerGracePeriod) {
		this.directory = directory;
		this.command = command;
		this.ownerGracePeriod = ownerGracePeriod;
	}

	/**
	 * Start a cluster with the given number of members and wait until all are healthy.
	 * @param members the number of members, from 1 to 5
	 * @return the running cluster
	 * @throws IllegalStateException if no etcd executable is found or the cluster does
	 * not become healthy within 30 seconds
	 */
	public static EtcdLocalCluster start(int members) {
		return builder().members(members).start();
	}

	/**
	 * Create a builder for a cluster that needs more than a member count.
	 * @return a builder for a single-member cluster without extra arguments
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The client endpoint of the first member, which is the only one of a single-member
	 * cluster.
	 * @return the client endpoint, such as {@code http://127.0.0.1:40001}
	 */
	public String endpoint() {
		return member(0).clientEndpoint();
	}

	/**
	 * The client endpoints of all members, in member order.
	 * @return the client endpoints
	 */
	public List<String> endpoints() {
		return this.members.stream().map(EtcdMember::clientEndpoint).toList();
	}

	/**
	 * The member at the given position, {@code 0} being the first member started.
	 * @param index the position of the member
	 * @return the member
	 * @throws IndexOutOfBoundsException if there is no such member
	 */
	public EtcdMember member(int index) {
		return this.members.get(index);
	}

	/**
	 * All members, in the order they were started, including members that are not running
	 * at the moment.
	 * @return the members
	 */
	public List<EtcdMember> members() {
		return List.copyOf(this.members);
	}

	/**
	 * The temporary directory that holds the members' data directories and log files.
	 * @return the directory, deleted by {@link #close()}
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Reserve ports for a new member so that it can be added to the cluster, typically
	 * with {@code etcdctl member add <name> --peer-urls=<peerUrl>}, before it
	 * {@linkplain #startJoiningMember(String) starts}.
	 * @param name the name of the new member, unique in this cluster
	 * @return the member, not started yet
	 */
	public EtcdMember prepareMember(String name) {
		requireOpen();
		boolean taken = this.preparedMembers.containsKey(name)
				|| this.members.stream().anyMatch((member) -> member.name().equals(name));
		if (taken) {
			throw new IllegalArgumentException("The etcd cluster already has a member named '" + name + "'");
		}
		EtcdMember member = new EtcdMember(this, this.command, name, FreePorts.find(EtcdMember.PORTS));
		this.preparedMembers.put(name, member);
		return member;
	}

	/**
	 * Start a {@linkplain #prepareMember(String) prepared} member that has been added to
	 * the cluster's membership, and wait until it is healthy.
	 * <p>
	 * Its {@code --initial-cluster} lists every member this cluster has started plus the
	 * new one, which must match the cluster's membership: members removed with
	 * {@code etcdctl member remove} make the new member fail to join.
	 * @param name the name given to {@link #prepareMember(String)}
	 * @return the running member, now part of {@link #members()}
	 * @throws IllegalStateException if no such member was prepared or if it does not
	 * become healthy within 30 seconds
	 */
	public EtcdMember startJoiningMember(String name) {
		requireOpen();
		EtcdMember member = this.preparedMembers.remove(name);
		if (member == null) {
			throw new IllegalStateException("No etcd member named '" + name + "' was prepared; call prepareMember('"
					+ name + "') and add its peerUrl() to the cluster, for example with 'etcdctl member add', first");
		}
		// Listed before it starts, so that close() and the shutdown hook see its process
		this.members.add(member);
		member.start(initialCluster(this.members), "existing");
		Optional<String> failure = member.await(Status.HEALTHY, Instant.now().plus(STARTUP_TIMEOUT));
		if (failure.isPresent()) {
			member.kill();
			this.members.remove(member);
			throw new IllegalStateException(
					"etcd member " + name + " did not join: " + failure.get() + MemberLogs.tails(List.of(member)));
		}
		logger.log(Level.INFO, "etcd member {0} joined the cluster at {1}", name, member.clientEndpoint());
		return member;
	}

	/**
	 * Kill every member, paused or not, and delete the temporary directory. Calling this
	 * method again does nothing.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		try {
			killMembers();
			Directories.deleteRecursively(this.directory);
			logger.log(Level.DEBUG, "Closed etcd cluster in {0}", this.directory);
		}
		finally {
			OpenClusters.remove(this);
			this.closedByOwner.countDown();
		}
	}

	/**
	 * The command line that starts a member's process. The members of a cluster that its
	 * {@linkplain Builder#closedByOwner owner} closes run in a session of their own
	 * (through {@code setsid}, which keeps the process id): the interrupt that a terminal
	 * sends to its foreground process group on Ctrl-C then reaches the application, which
	 * closes the cluster once it is done with it, and not etcd.
	 */
	List<String> processCommandLine(List<String> etcdCommandLine) {
		if (this.ownerGracePeriod.isZero() || SETSID.isEmpty()) {
			return etcdCommandLine;
		}
		List<String> commandLine = new ArrayList<>(etcdCommandLine.size() + 1);
		commandLine.add(SETSID.get().toString());
		commandLine.addAll(etcdCommandLine);
		return commandLine;
	}

	/**
	 * At JVM exit, wait for the owner to close the cluster, up to the grace period that
	 * the {@linkplain Builder#closedByOwner owner} asked for.
	 */
	void awaitOwnerClose() throws InterruptedException {
		this.closedByOwner.await(this.ownerGracePeriod.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void killMembers() {
		// One member that cannot be killed must not keep the others alive
		IllegalStateException failure = null;
		for (EtcdMember member : this.members) {
			try {
				member.kill();
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = new IllegalStateException("Could not kill every etcd member in " + this.directory);
				}
				failure.addSuppressed(ex);
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	boolean isClosed() {
		return this.closed.get();
	}

	private void requireOpen() {
		if (isClosed()) {
			throw new IllegalStateException("The etcd cluster in " + this.directory + " is closed");
		}
	}

	private static EtcdLocalCluster start(int memberCount, List<String> extraArgs, EtcdTls tls,
			List<String> extraClientUrls, Duration ownerGracePeriod) {
		Path binary = EtcdBinary.locate();
		for (int attempt = 1;; attempt++) {
			EtcdLocalCluster cluster = create(new EtcdCommand(binary, memberCount, extraArgs, tls, extraClientUrls),
					ownerGracePeriod);
			try {
				cluster.startMembers(memberCount);
				return cluster;
			}
			catch (RuntimeException ex) {
				boolean portTaken = MemberLogs.anyContains(cluster.members, "address already in use");
				try {
					cluster.close();
				}
				catch (RuntimeException closeFailure) {
					ex.addSuppressed(closeFailure);
				}
				if (!portTaken || attempt == START_ATTEMPTS) {
					throw ex;
				}
				logger.log(Level.WARNING, "A port was taken while etcd started, retrying with new ports");
			}
		}
	}

	private static EtcdLocalCluster create(EtcdCommand command, Duration ownerGracePeriod) {
		try {
			EtcdLocalCluster cluster = new EtcdLocalCluster(Files.createTempDirectory("etcd-local-"), command,
					ownerGracePeriod);
			OpenClusters.add(cluster);
			return cluster;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a temporary directory for etcd", ex);
		}
	}

	private void startMembers(int count) {
		long startTime = System.nanoTime();
		int[] ports = FreePorts.find(EtcdMember.PORTS * count);
		for (int i = 0; i < count; i++) {
			this.members.add(new EtcdMember(this, this.command, "m" + i,
					Arrays.copyOfRange(ports, EtcdMember.PORTS * i, EtcdMember.PORTS * (i + 1))));
		}
		String initialCluster = initialCluster(this.members);
		// All members start before any is awaited: none can be healthy until a quorum is
		// up
		this.members.forEach((member) -> member.start(initialCluster, "new"));
		Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
		for (EtcdMember member : this.members) {
			Optional<String> failure = member.await(Status.HEALTHY, deadline);
			if (failure.isPresent()) {
				throw new IllegalStateException("etcd did not start within " + STARTUP_TIMEOUT.toSeconds() + " s: "
						+ failure.get() + MemberLogs.tails(this.members));
			}
		}
		logger.log(Level.INFO, "Started etcd with {0} member(s) at {1} in {2} ms, data and logs in {3}", count,
				endpoints(), (System.nanoTime() - startTime) / 1_000_000, this.directory);
	}

	private static String initialCluster(List<EtcdMember> members) {
		return members.stream()
			.map((member) -> member.name() + "=" + member.peerUrl())
			.collect(Collectors.joining(","));
	}

	/**
	 * Builder for an {@link EtcdLocalCluster}.
	 */
	public static final class Builder {

		private int members = 1;

		private List<String> extraArgs = List.of();

		private EtcdTls tls;

		private List<String> extraClientUrls = List.of();

		private Duration ownerGracePeriod = Duration.ZERO;

		private Builder() {
		}

		/**
		 * Let the cluster's owner close it when the JVM exits, such as an application
		 * whose context closes from its own shutdown hook and destroys the cluster's bean
		 * last: the launcher's shutdown hook, which otherwise kills the members at once,
		 * first waits up to the grace period for that close, so that the application
		 * releases its locks, roles and leases against a running etcd. The members run in
		 * a session of their own where {@code setsid} exists, so that Ctrl-C in the
		 * application's terminal does not stop them before the application is done.
		 * @param gracePeriod how long the launcher's shutdown hook waits for the owner
		 * @return this builder
		 */
		public Builder closedByOwner(Duration gracePeriod) {
			if (gracePeriod == null || gracePeriod.isNegative()) {
				throw new IllegalArgumentException("The grace period must not be null or negative, not " + gracePeriod);
			}
			this.ownerGracePeriod = gracePeriod;
			return this;
		}

		/**
		 * Have every member advertise these client URLs besides its own, as a member
		 * misconfigured or tampered with might: for tests of what clients do with
		 * endpoints they learn from the member list. Nothing listens on them unless the
		 * test does.
		 * @param extraClientUrls the URLs, such as {@code http://127.0.0.1:40000}
		 * @return this builder
		 */
		public Builder advertiseExtraClientUrls(List<String> extraClientUrls) {
			this.extraClientUrls = List.copyOf(extraClientUrls);
			return this;
		}

		/**
		 * Serve clients over TLS only, requiring client certificates signed by the given
		 * CA ({@code --client-cert-auth}); members then advertise {@code https} client
		 * URLs.
		 * @param tls the certificate files
		 * @return this builder
		 */
		public Builder tls(EtcdTls tls) {
			this.tls = tls;
			return this;
		}

		/**
		 * Set the number of members.
		 * @param members the number of members, from 1 to 5
		 * @return this builder
		 */
		public Builder members(int members) {
			if (members < 1 || members > MAX_MEMBERS) {
				throw new IllegalArgumentException(
						"An etcd cluster needs 1 to " + MAX_MEMBERS + " members, not " + members);
			}
			this.members = members;
			return this;
		}

		/**
		 * Set flags that every member gets after the ones of the launcher, such as
		 * {@code --auth-token} or {@code --max-txn-ops}; etcd uses the last value of a
		 * repeated flag, so they can also override the launcher's defaults.
		 * @param extraArgs the flags and their values, one list element per argument
		 * @return this builder
		 */
		public Builder extraArgs(List<String> extraArgs) {
			this.extraArgs = List.copyOf(extraArgs);
			return this;
		}

		/**
		 * Start the cluster and wait until all members are healthy.
		 * @return the running cluster
		 * @throws IllegalStateException if no etcd executable is found or the cluster
		 * does not become healthy within 30 seconds
		 */
		public EtcdLocalCluster start() {
			return EtcdLocalCluster.start(this.members, this.extraArgs, this.tls, this.extraClientUrls,
					this.ownerGracePeriod);
		}

	}

}
