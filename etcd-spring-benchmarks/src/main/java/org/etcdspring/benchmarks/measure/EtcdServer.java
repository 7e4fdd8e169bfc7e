package org.etcdspring.benchmarks.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The etcd process under test, seen from outside: its CPU time and resident memory from
 * {@code /proc}, its version, and compaction between workloads. Housekeeping calls use a
 * client of their own, so the measured clients' connection pools are left alone.
 *
 * @author etcd-spring
 */
public final class EtcdServer {

	private final long pid;

	private final URI endpoint;

	private final long nanosPerTick;

	private final HttpClient httpClient;

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * Observe an etcd process.
	 * @param pid the process ID of the member
	 * @param endpoint its client URL
	 * @param sslContext the client context for an {@code https} endpoint, or {@code null}
	 */
	public EtcdServer(long pid, String endpoint, SSLContext sslContext) {
		this.pid = pid;
		this.endpoint = URI.create(endpoint);
		HttpClient.Builder httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
		if (sslContext != null) {
			httpClient.sslContext(sslContext);
		}
		this.httpClient = httpClient.build();
		this.nanosPerTick = 1_000_000_000L / clockTicksPerSecond();
	}

	/**
	 * The process ID of the member.
	 * @return the pid
	 */
	public long pid() {
		return this.pid;
	}

	/**
	 * Whether {@code /proc} shows the process, so that its CPU time can be read.
	 * @return {@code true} on Linux while the member runs
	 */
	public boolean isObservable() {
		return Files.isReadable(stat());
	}

	/**
	 * The CPU time (user and system) the member used so far.
	 * @return nanoseconds of CPU time, with the kernel's clock tick resolution; 0 when
	 * not {@linkplain #isObservable() observable}
	 */
	public long cpuNanos() {
		if (!isObservable()) {
			return 0;
		}
		String stat = read(stat());
		// Fields after the command name, which is in parentheses and may hold spaces:
		// state is field 3 of proc(5), utime field 14 and stime field 15.
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * this.nanosPerTick;
	}

	/**
	 * The member's resident memory.
	 * @return bytes of resident memory, 0 when not observable
	 */
	public long residentBytes() {
		Path status = Path.of("/proc", Long.toString(this.pid), "status");
		if (!Files.isReadable(status)) {
			return 0;
		}
		for (String line : read(status).split("\n")) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		return 0;
	}

	/**
	 * The server's version.
	 * @return the version, such as {@code 3.4.23}
	 */
	public String version() {
		return send(HttpRequest.newBuilder(this.endpoint.resolve("/version")).GET()).path("etcdserver").asString();
	}

	/**
	 * Compact the history up to the current revision, so every workload starts on a store
	 * of the same shape.
	 */
	public void compact() {
		JsonNode status = post("/v3/kv/range", "{\"key\":\"AA==\",\"count_only\":true}");
		String revision = status.path("header").path("revision").asString();
		try {
			post("/v3/kv/compaction", "{\"revision\":\"" + revision + "\",\"physical\":true}");
		}
		catch (IllegalStateException ex) {
			// Nothing was written since the last compaction
			if (!ex.getMessage().contains("compacted")) {
				throw ex;
			}
		}
	}

	private JsonNode post(String path, String body) {
		return send(HttpRequest.newBuilder(this.endpoint.resolve(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private JsonNode send(HttpRequest.Builder request) {
		try {
			HttpResponse<byte[]> response = this.httpClient.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode() + ": "
						+ new String(response.body(), StandardCharsets.UTF_8));
			}
			return this.json.readTree(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	private Path stat() {
		return Path.of("/proc", Long.toString(this.pid), "stat");
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static long clockTicksPerSecond() {
		try {
			Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
			String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			return (getconf.waitFor() == 0) ? Long.parseLong(out) : 100;
		}
		catch (IOException | NumberFormatException ex) {
			// The Linux default
			return 100;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 100;
		}
	}

}
