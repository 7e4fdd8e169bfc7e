package org.etcdspring.benchmarks;

import java.time.Duration;
import java.util.Locale;

import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.measure.Measurement;
import org.etcdspring.benchmarks.workloads.ManyWatchesResult;

/**
 * The results as text tables.
 *
 * @author etcd-spring
 */
final class ResultsTable {

	private static final String ROW = "%-30s %-12s %9s %8s %8s %10s %10s %8s %8s %9s%n";

	private static final String WATCHES_ROW = "%-7s %-12s %11s %7s %8s %9s %20s %8s %9s %10s %7s%n";

	private static final double MEGABYTE = 1024 * 1024;

	private ResultsTable() {
	}

	static String format(BenchmarkResults results) {
		StringBuilder text = new StringBuilder();
		text.append(header(results));
		if (!results.workloads().isEmpty()) {
			text.append(String.format(Locale.ROOT, "%n" + ROW, "workload", "client", "ops/s", "p50 ms", "p99 ms",
					"CPU us/op", "etcd us/op", "x jetcd", "CPU x HC", "ops/batch"));
			for (WorkloadResult workload : results.workloads()) {
				Measurement jetcd = workload.of(Client.JETCD);
				Measurement http = workload.of(Client.HTTP_CLIENT);
				String title = workload.title();
				for (Measurement measurement : workload.measurements()) {
					text.append(String.format(Locale.ROOT, ROW, title, measurement.client().label(),
							number(measurement.operationsPerSecond(), 0), number(measurement.latencyMillis(50), 2),
							number(measurement.latencyMillis(99), 2),
							number(measurement.clientCpuMicrosPerOperation(), 1),
							number(measurement.serverCpuMicrosPerOperation(), 1),
							ratio(measurement.operationsPerSecond(), (jetcd != null) ? jetcd.operationsPerSecond() : 0),
							(measurement.client() == Client.ETCD_SPRING && http != null) ? ratio(
									measurement.clientCpuMicrosPerOperation(), http.clientCpuMicrosPerOperation()) : "",
							(measurement.batches() > 0) ? number(measurement.operationsPerBatch(), 1) : ""));
					title = "";
				}
			}
			text.append(errors(results));
		}
		if (!results.manyWatches().isEmpty()) {
			text.append(String.format(Locale.ROOT, "%n" + WATCHES_ROW, "watches", "client", "established", "open s",
					"heap MB", "direct MB", "threads (new, peak)", "sockets", "etcd MB", "delivered", "close s"));
			for (ManyWatchesResult watches : results.manyWatches()) {
				text.append(String.format(Locale.ROOT, WATCHES_ROW, watches.watches(), watches.client().label(),
						watches.established() + "/" + watches.watches(), number(watches.openSeconds(), 1),
						number(watches.heapBytes() / MEGABYTE, 1), number(watches.directBytes() / MEGABYTE, 1),
						watches.liveThreads() + " (" + watches.startedThreads() + ", " + watches.peakThreads() + ")",
						watches.fileDescriptors(), number(watches.etcdResidentBytes() / MEGABYTE, 1),
						watches.delivered() + "/" + watches.probes(), number(watches.closeSeconds(), 1)));
				if (watches.note() != null) {
					text.append("        ").append(watches.note()).append(System.lineSeparator());
				}
			}
		}
		if (results.footprint() != null) {
			Footprint footprint = results.footprint();
			text.append(String.format(Locale.ROOT, "%n%-42s %5s %8s%n", "runtime jars", "jars", "MB"));
			for (Footprint.JarSet set : new Footprint.JarSet[] { footprint.webApplication(),
					footprint.etcdSpringAdded(), footprint.jetcdAdded(), footprint.jetcdAlone() }) {
				text.append(String.format(Locale.ROOT, "%-42s %5d %8s%n", set.name(), set.count(),
						number(set.bytes() / MEGABYTE, 2)));
			}
			text.append("etcd-spring-boot-starter adds: ")
				.append(String.join(", ", footprint.etcdSpringAdded().files()))
				.append(System.lineSeparator());
		}
		return text.toString();
	}

	private static String header(BenchmarkResults results) {
		BenchmarkSettings settings = results.settings();
		Duration took = Duration.between(results.started(), results.finished());
		return String.format(Locale.ROOT, "etcd-spring benchmark: etcd %s (one member, local: %s), Java %s, %d CPUs%n"
				+ "clients connect over %s%n" + "load average (1, 5, 15 min) at start %s, at end %s; took %d s%n"
				+ "each client: %s warm-up, then %d rounds of %s, clients alternating; "
				+ "this JVM idle with every client connected: %.1f ms CPU/s%n"
				+ "CPU us/op: this JVM's CPU time per operation without the JIT compiler's "
				+ "(%.0f ms of compiling during the measured rounds, left out)%n", results.etcdVersion(),
				results.etcdExecutable(), Runtime.version(), Runtime.getRuntime().availableProcessors(),
				results.connection(), results.loadAtStart(), results.loadAtEnd(), took.toSeconds(),
				seconds(settings.warmup()), settings.rounds(), seconds(settings.duration()),
				results.idleCpuMillisPerSecond(), jitMillis(results));
	}

	private static double jitMillis(BenchmarkResults results) {
		return results.workloads()
			.stream()
			.flatMap((workload) -> workload.measurements().stream())
			.mapToDouble(Measurement::jitMillis)
			.sum();
	}

	private static String errors(BenchmarkResults results) {
		StringBuilder text = new StringBuilder();
		for (WorkloadResult workload : results.workloads()) {
			for (Measurement measurement : workload.measurements()) {
				if (measurement.errors() > 0) {
					text.append(
							String.format(Locale.ROOT, "ERRORS in %s with %s: %d, the first: %s%n", workload.title(),
									measurement.client().label(), measurement.errors(), measurement.firstError()));
				}
			}
		}
		return text.toString();
	}

	private static String seconds(Duration duration) {
		return number(duration.toMillis() / 1000.0, 2) + " s";
	}

	private static String ratio(double value, double reference) {
		return (reference > 0) ? number(value / reference, 2) : "";
	}

	private static String number(double value, int decimals) {
		// No "-0.0" for a difference that is zero at this precision
		double shown = (Math.abs(value) < 0.5 / Math.pow(10, decimals)) ? 0 : value;
		return String.format(Locale.ROOT, "%." + decimals + "f", shown);
	}

}
