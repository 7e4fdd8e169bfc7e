package org.etcdspring.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The sample as {@code ./dev/run-sample} runs it ({@link TestSampleApplication}, with an
 * etcd of its own), in a child JVM in a process group of its own, stopped as Ctrl-C in a
 * terminal does, with {@code SIGINT} to the whole group: it resigns its role and releases
 * its locks before its etcd stops, so the shutdown is quick and logs no warning from
 * etcd-spring, and no etcd process is left behind.
 */
class SampleShutdownTests {

	private static final Pattern READY = Pattern.compile("etcd sample is running, with etcd at (\\S+):");

	private static final Pattern BASE_URL = Pattern.compile("^\\s+(http://localhost:\\d+)/keys/hello");

	private final List<String> output = new CopyOnWriteArrayList<>();

	@Test
	void shutdownWithItsOwnEtcdShouldBeQuickAndQuiet() throws Exception {
		Process sample = startSample();
		try {
			String etcdEndpoint = awaitOutput(READY, Duration.ofSeconds(90), sample);
			String baseUrl = awaitOutput(BASE_URL, Duration.ofSeconds(5), sample);
			HttpClient http = HttpClient.newHttpClient();
			awaitLeaderJob(http, baseUrl);
			HttpResponse<String> shipped = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/orders/42/ship"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(shipped.statusCode()).as("ship under @EtcdLock: %s", shipped.body()).isEqualTo(200);
			int linesBeforeShutdown = this.output.size();
			long signalled = System.nanoTime();
			signal("INT", "-" + sample.pid());
			boolean exited = sample.waitFor(60, TimeUnit.SECONDS);
			Duration shutdown = Duration.ofNanos(System.nanoTime() - signalled);
			assertThat(exited).as("the sample ended after SIGINT; its output:%n%s", String.join("\n", this.output))
				.isTrue();
			List<String> shutdownLines = this.output.subList(linesBeforeShutdown, this.output.size());
			assertThat(shutdownLines).as("warnings of etcd-spring during the shutdown")
				.noneMatch(
						(line) -> line.contains("WARN") && (line.contains("o.e.") || line.contains("org.etcdspring")));
			assertThat(shutdown).as("shutdown; its output:%n%s", String.join("\n", shutdownLines))
				.isLessThan(Duration.ofSeconds(15));
			URI etcd = URI.create(etcdEndpoint);
			assertThatExceptionOfType(ConnectException.class).as("the sample's etcd at %s stopped", etcd)
				.isThrownBy(() -> {
					try (Socket socket = new Socket()) {
						socket.connect(new InetSocketAddress(etcd.getHost(), etcd.getPort()), 2000);
					}
				});
		}
		finally {
			// SIGTERM first, so that its shutdown hooks remove its etcd
			sample.destroy();
			if (!sample.waitFor(60, TimeUnit.SECONDS)) {
				sample.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			}
		}
	}

	private Process startSample() throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// setsid: a process group of its own, led by the JVM (setsid keeps the process
		// id)
		ProcessBuilder builder = new ProcessBuilder("setsid", java, "-cp", System.getProperty("java.class.path"),
				TestSampleApplication.class.getName(), "--server.port=0", "--sample.report.interval=200ms")
			.redirectErrorStream(true);
		// The local etcd binary, as where no Docker engine runs
		builder.environment().remove("DOCKER_HOST");
		Process process = builder.start();
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					this.output.add(line);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, "sample-output");
		reader.setDaemon(true);
		reader.start();
		return process;
	}

	private String awaitOutput(Pattern pattern, Duration timeout, Process sample) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			for (String line : this.output) {
				Matcher matcher = pattern.matcher(line);
				if (matcher.find()) {
					return matcher.group(1);
				}
			}
			assertThat(sample.isAlive()).as("the sample is running; its output:%n%s", String.join("\n", this.output))
				.isTrue();
			Thread.sleep(100);
		}
		throw new AssertionError(
				"No line matching " + pattern + " within " + timeout + " in:\n" + String.join("\n", this.output));
	}

	/**
	 * Waits until the {@code @EtcdLeader} job ran, so that the sample leads its role when
	 * it is stopped.
	 */
	private static void awaitLeaderJob(HttpClient http, String baseUrl) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		HttpResponse<String> response = null;
		while (System.nanoTime() < deadline) {
			response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/report")).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 200 && response.body().contains("instance")) {
				return;
			}
			Thread.sleep(200);
		}
		throw new AssertionError("The leader job did not run within 30 s: " + response);
	}

	private static void signal(String signal, String target) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + signal, "--", target).inheritIO().start();
		assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s -- %s", signal, target)
			.isTrue();
	}

}
