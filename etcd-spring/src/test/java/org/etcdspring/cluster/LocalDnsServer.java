package org.etcdspring.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A DNS server for tests: Debian's {@code dnsmasq} on a free loopback port, answering
 * only for the {@code .test} domain from the SRV records it is given. A missing
 * {@code dnsmasq} fails the test that needs it, with what to install.
 */
final class LocalDnsServer implements AutoCloseable {

	static final String MISSING = "dnsmasq not found (looked on PATH, /usr/sbin, /sbin): the DNS SRV discovery tests "
			+ "need it. Install Debian's dnsmasq-base (apt-get install -y dnsmasq-base); ./dev/test does that when run "
			+ "as root.";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

	private final Process process;

	private final int port;

	private final Path log;

	private final Thread shutdownHook;

	private LocalDnsServer(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
		this.shutdownHook = new Thread(process::destroyForcibly, "dnsmasq-shutdown");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Start a server with the given SRV records.
	 * @param srvRecords dnsmasq {@code --srv-host} values:
	 * {@code _service._tcp.domain.test,target,port,priority,weight}
	 * @return the running server
	 */
	static LocalDnsServer start(List<String> srvRecords) {
		Path binary = locate();
		IllegalStateException failure = null;
		// One retry covers a port that another process took between our probe and
		// dnsmasq's bind
		for (int attempt = 0; attempt < 2; attempt++) {
			int port = freePort();
			Path log = createLog();
			List<String> command = new ArrayList<>(List.of(binary.toString(), "--no-daemon", "--port=" + port,
					"--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--local=/test/",
					"--log-facility=-", "--pid-file="));
			srvRecords.forEach((record) -> command.add("--srv-host=" + record));
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.start();
				LocalDnsServer server = new LocalDnsServer(process, port, log);
				if (server.awaitListening()) {
					return server;
				}
				failure = new IllegalStateException("dnsmasq did not start: " + server.logText());
				server.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start " + binary, ex);
			}
		}
		throw failure;
	}

	/**
	 * The address to give as the DNS server.
	 * @return {@code 127.0.0.1:<port>}
	 */
	String address() {
		return "127.0.0.1:" + this.port;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		finally {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
			try {
				Files.deleteIfExists(this.log);
			}
			catch (IOException ex) {
				// A log file left in the temp directory harms nothing
			}
		}
	}

	private boolean awaitListening() {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline && this.process.isAlive()) {
			// dnsmasq serves TCP as well as UDP, so an accepted connection means it is
			// ready
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 200);
				return true;
			}
			catch (IOException ex) {
				sleep();
			}
		}
		return false;
	}

	private String logText() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	private static Path locate() {
		List<String> directories = new ArrayList<>(
				List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
		directories.addAll(List.of("/usr/sbin", "/sbin"));
		for (String directory : directories) {
			if (!directory.isEmpty()) {
				Path candidate = Path.of(directory, "dnsmasq");
				if (Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		throw new IllegalStateException(MISSING);
	}

	private static int freePort() {
		for (int attempt = 0; attempt < 20; attempt++) {
			try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
					DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
				return tcp.getLocalPort();
			}
			catch (IOException ex) {
				// The UDP port of that number is taken: try another
			}
		}
		throw new IllegalStateException("No free loopback port for both TCP and UDP");
	}

	private static Path createLog() {
		try {
			return Files.createTempFile("dnsmasq-", ".log");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for dnsmasq", ex);
		}
	}

}
