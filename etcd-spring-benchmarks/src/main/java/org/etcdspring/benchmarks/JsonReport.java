package org.etcdspring.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.measure.Measurement;
import org.etcdspring.benchmarks.workloads.ManyWatchesResult;

/**
 * Writes the results as JSON, for comparing runs.
 *
 * @author etcd-spring
 */
final class JsonReport {

	private static final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private JsonReport() {
	}

	static void write(BenchmarkResults results, Path file) {
		try {
			Path parent = file.toAbsolutePath().getParent();
			Files.createDirectories(parent);
			try (OutputStream out = Files.newOutputStream(file)) {
				json.writeValue(out, toMap(results));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write " + file, ex);
		}
	}

	private static Map<String, Object> toMap(BenchmarkResults results) {
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("started", results.started().toString());
		root.put("finished", results.finished().toString());
		root.put("seconds", Duration.between(results.started(), results.finished()).toSeconds());
		Map<String, Object> machine = new LinkedHashMap<>();
		machine.put("cpus", Runtime.getRuntime().availableProcessors());
		machine.put("java", Runtime.version().toString());
		machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch"));
		machine.put("loadAverageAtStart", load(results.loadAtStart()));
		machine.put("loadAverageAtEnd", load(results.loadAtEnd()));
		machine.put("idleClientCpuMillisPerSecond", round(results.idleCpuMillisPerSecond()));
		root.put("machine", machine);
		root.put("etcd", Map.of("version", results.etcdVersion(), "executable", results.etcdExecutable(), "members", 1,
				"tls", results.settings().tls(), "connection", results.connection()));
		BenchmarkSettings settings = results.settings();
		Map<String, Object> rounds = new LinkedHashMap<>();
		rounds.put("warmupSeconds", settings.warmup().toMillis() / 1000.0);
		rounds.put("roundSeconds", settings.duration().toMillis() / 1000.0);
		rounds.put("rounds", settings.rounds());
		rounds.put("jitWarmupPasses", settings.jitWarmupPasses());
		rounds.put("watchCounts", settings.watchCounts());
		root.put("settings", rounds);
		root.put("workloads", results.workloads().stream().map(JsonReport::workload).toList());
		root.put("manyWatches", results.manyWatches().stream().map(JsonReport::manyWatches).toList());
		if (results.footprint() != null) {
			Footprint footprint = results.footprint();
			Map<String, Object> jars = new LinkedHashMap<>();
			jars.put("webApplication", jarSet(footprint.webApplication()));
			jars.put("etcdSpringStarterAdds", jarSet(footprint.etcdSpringAdded()));
			jars.put("jetcdCoreAdds", jarSet(footprint.jetcdAdded()));
			jars.put("jetcdCoreAlone", jarSet(footprint.jetcdAlone()));
			root.put("footprint", jars);
		}
		return root;
	}

	private static Map<String, Object> load(MachineLoad load) {
		if (load == null) {
			return null;
		}
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("1m", load.oneMinute());
		map.put("5m", load.fiveMinutes());
		map.put("15m", load.fifteenMinutes());
		return map;
	}

	private static Map<String, Object> workload(WorkloadResult workload) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("id", workload.id());
		map.put("title", workload.title());
		map.put("callers", workload.callers());
		Measurement jetcd = workload.of(Client.JETCD);
		Measurement http = workload.of(Client.HTTP_CLIENT);
		map.put("results", workload.measurements().stream().map((measurement) -> {
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("client", measurement.client().label());
			result.put("operations", measurement.operations());
			result.put("errors", measurement.errors());
			if (measurement.firstError() != null) {
				result.put("firstError", measurement.firstError());
			}
			result.put("opsPerSecond", round(measurement.operationsPerSecond()));
			result.put("roundOpsPerSecond", measurement.roundThroughputs().stream().map(JsonReport::round).toList());
			result.put("p50Millis", round(measurement.latencyMillis(50)));
			result.put("p99Millis", round(measurement.latencyMillis(99)));
			result.put("clientCpuMicrosPerOp", round(measurement.clientCpuMicrosPerOperation()));
			result.put("etcdCpuMicrosPerOp", round(measurement.serverCpuMicrosPerOperation()));
			result.put("jitMillis", round(measurement.jitMillis()));
			if (measurement.client() == Client.ETCD_SPRING) {
				result.put("batches", measurement.batches());
				result.put("operationsPerBatch", round(measurement.operationsPerBatch()));
			}
			if (jetcd != null && measurement != jetcd) {
				result.put("ratioToJetcd", ratios(measurement, jetcd));
			}
			if (http != null && measurement != http) {
				result.put("ratioToHttpClient", ratios(measurement, http));
			}
			return result;
		}).toList());
		return map;
	}

	private static Map<String, Object> ratios(Measurement measurement, Measurement reference) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("opsPerSecond", ratio(measurement.operationsPerSecond(), reference.operationsPerSecond()));
		map.put("p50", ratio(measurement.latencyMillis(50), reference.latencyMillis(50)));
		map.put("p99", ratio(measurement.latencyMillis(99), reference.latencyMillis(99)));
		map.put("clientCpuPerOp",
				ratio(measurement.clientCpuMicrosPerOperation(), reference.clientCpuMicrosPerOperation()));
		map.put("etcdCpuPerOp",
				ratio(measurement.serverCpuMicrosPerOperation(), reference.serverCpuMicrosPerOperation()));
		return map;
	}

	private static Map<String, Object> manyWatches(ManyWatchesResult result) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("client", result.client().label());
		map.put("watches", result.watches());
		map.put("established", result.established());
		map.put("openSeconds", round(result.openSeconds()));
		map.put("heapBytes", result.heapBytes());
		map.put("directBufferBytes", result.directBytes());
		map.put("liveThreads", result.liveThreads());
		map.put("startedThreads", result.startedThreads());
		map.put("peakThreads", result.peakThreads());
		map.put("addedFileDescriptors", result.fileDescriptors());
		map.put("etcdAddedResidentBytes", result.etcdResidentBytes());
		map.put("probePuts", result.probes());
		map.put("probesDelivered", result.delivered());
		map.put("deliverySeconds", round(result.deliverySeconds()));
		map.put("closeSeconds", round(result.closeSeconds()));
		map.put("note", result.note());
		return map;
	}

	private static Map<String, Object> jarSet(Footprint.JarSet set) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("name", set.name());
		map.put("jars", set.count());
		map.put("bytes", set.bytes());
		map.put("files", set.files());
		return map;
	}

	private static Double ratio(double value, double reference) {
		return (reference > 0) ? round(value / reference) : null;
	}

	private static double round(double value) {
		return Math.round(value * 1000) / 1000.0;
	}

}
