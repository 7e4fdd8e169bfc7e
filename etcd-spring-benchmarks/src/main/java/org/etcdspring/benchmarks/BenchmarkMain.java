package org.etcdspring.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.clients.ClientTls;
import org.etcdspring.benchmarks.clients.Clients;
import org.etcdspring.benchmarks.measure.EtcdServer;
import org.etcdspring.benchmarks.measure.JitCompiler;
import org.etcdspring.benchmarks.measure.LocalEtcd;
import org.etcdspring.benchmarks.measure.Measurement;
import org.etcdspring.benchmarks.measure.ProcessCpu;
import org.etcdspring.benchmarks.workloads.CacheGetWorkload;
import org.etcdspring.benchmarks.workloads.CompareAndSwapWorkload;
import org.etcdspring.benchmarks.workloads.GetWorkload;
import org.etcdspring.benchmarks.workloads.LockWorkload;
import org.etcdspring.benchmarks.workloads.ManyWatches;
import org.etcdspring.benchmarks.workloads.ManyWatchesResult;
import org.etcdspring.benchmarks.workloads.PutWorkload;
import org.etcdspring.benchmarks.workloads.TransferWorkload;
import org.etcdspring.benchmarks.workloads.WatchLatencyWorkload;
import org.etcdspring.benchmarks.workloads.Workload;
import org.etcdspring.test.EtcdLocalCluster;

/**
 * Starts a local etcd through the test launcher and runs every workload against it with
 * {@code EtcdTemplate}, jetcd and a bare JDK {@code HttpClient}; prints the tables and
 * writes the JSON results. {@code dev/benchmark} builds and runs it.
 *
 * @author etcd-spring
 */
public final class BenchmarkMain {

	private static final int[] CALLERS = { 1, 32 };

	/**
	 * The callers of the transfer workloads: contention on 10 accounts, not throughput.
	 */
	private static final int[] TRANSFER_CALLERS = { 1, 8 };

	/**
	 * The share of the time the JIT compiler may still spend compiling once warmed up.
	 */
	private static final double JIT_SETTLED = 0.02;

	private static final Duration IDLE_MEASUREMENT = Duration.ofSeconds(2);

	private BenchmarkMain() {
	}

	public static void main(String[] args) {
		if (List.of(args).contains("--help")) {
			System.out.print(BenchmarkSettings.USAGE);
			return;
		}
		BenchmarkSettings settings;
		try {
			settings = BenchmarkSettings.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		if (settings.etcd() != null) {
			System.setProperty("etcd.bin", settings.etcd().toString());
		}
		try (ClientTls tls = settings.tls() ? ClientTls.create() : null) {
			run(settings, new LocalEtcd(tls));
		}
	}

	private static void run(BenchmarkSettings settings, LocalEtcd etcd) {
		Instant started = Instant.now();
		MachineLoad loadAtStart = MachineLoad.now();
		String version;
		String connection;
		double idleCpu;
		List<WorkloadResult> workloads;
		try (EtcdLocalCluster cluster = etcd.start(); Clients clients = etcd.connect(cluster)) {
			EtcdServer server = etcd.observe(cluster);
			version = server.version();
			progress("etcd %s (%s) at %s (pid %d%s), load average %s", version, executable(settings),
					cluster.endpoint(), server.pid(),
					server.isObservable() ? "" : ", its CPU time is not observable here", loadAtStart);
			idleCpu = idleCpuMillisPerSecond(clients);
			connection = etcd.isTls()
					? "TLS with client certificates; the JDK HttpClient negotiated " + clients.httpVersion()
					: "plain HTTP; the JDK HttpClient negotiated " + clients.httpVersion();
			progress("%s", connection);
			progress("this JVM, every client connected and idle: %.1f ms CPU per second", idleCpu);
			workloads = runWorkloads(settings, clients, server);
		}
		// The clients of the rounds are closed: the watch measurements start from a quiet
		// JVM
		List<ManyWatchesResult> manyWatches = runManyWatches(settings, etcd);
		Footprint footprint = footprint(settings);
		BenchmarkResults results = new BenchmarkResults(settings, version, executable(settings), connection, started,
				Instant.now(), loadAtStart, MachineLoad.now(), idleCpu, workloads, manyWatches, footprint);
		System.out.println();
		System.out.print(ResultsTable.format(results));
		JsonReport.write(results, settings.output());
		progress("wrote %s", settings.output().toAbsolutePath());
	}

	/**
	 * Which etcd executable the launcher runs, as far as the settings say.
	 */
	private static String executable(BenchmarkSettings settings) {
		if (settings.etcd() != null) {
			return settings.etcd().toString();
		}
		String environment = System.getenv("ETCD_BIN");
		return (environment != null && !environment.isBlank()) ? environment : "etcd on the PATH";
	}

	/**
	 * The CPU time this JVM uses while every client is connected and idle: a part of the
	 * client CPU of every round that no operation causes.
	 */
	private static double idleCpuMillisPerSecond(Clients clients) {
		for (Client client : Client.values()) {
			clients.kv(client).put("bench/connected", new byte[1]);
		}
		long cpu = ProcessCpu.nanos();
		long start = System.nanoTime();
		try {
			Thread.sleep(IDLE_MEASUREMENT.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
		return (ProcessCpu.nanos() - cpu) / 1e6 / ((System.nanoTime() - start) / 1e9);
	}

	private static List<WorkloadResult> runWorkloads(BenchmarkSettings settings, Clients clients, EtcdServer server) {
		List<Workload> workloads = new ArrayList<>();
		for (int callers : CALLERS) {
			workloads.add(new PutWorkload(clients, callers));
			workloads.add(new GetWorkload(clients, callers, false));
			workloads.add(new GetWorkload(clients, callers, true));
			workloads.add(new CacheGetWorkload(clients, callers));
			workloads.add(new CompareAndSwapWorkload(clients, callers));
			workloads.add(new LockWorkload(clients, callers));
		}
		for (int callers : TRANSFER_CALLERS) {
			workloads.add(new TransferWorkload(clients, callers, true));
			workloads.add(new TransferWorkload(clients, callers, false));
		}
		workloads.add(new WatchLatencyWorkload(clients));
		List<Workload> selected = workloads.stream().filter((workload) -> settings.runs(workload.id())).toList();
		if (!selected.isEmpty()) {
			warmUpJit(settings, clients);
		}
		AlternatingRounds rounds = new AlternatingRounds(settings, server, clients);
		List<WorkloadResult> results = new ArrayList<>();
		for (Workload workload : workloads) {
			if (!selected.contains(workload)) {
				workload.close();
				continue;
			}
			WorkloadResult result = rounds.run(workload);
			results.add(result);
			StringBuilder line = new StringBuilder(result.title() + ":");
			for (Measurement measurement : result.measurements()) {
				line.append(String.format(Locale.ROOT, " %s %.0f/s", measurement.client().label(),
						measurement.operationsPerSecond()));
			}
			progress("%s", line);
		}
		return results;
	}

	/**
	 * Run put, get, compare-and-swap and lock with every client at 1 and at 32 callers,
	 * unmeasured, pass after pass until the JIT compiler has settled: on two cores C2
	 * keeps compiling for tens of seconds, and its time would count as the client's.
	 */
	private static void warmUpJit(BenchmarkSettings settings, Clients clients) {
		Duration step = settings.warmup().dividedBy(2);
		for (int pass = 1; pass <= settings.jitWarmupPasses(); pass++) {
			long jit = JitCompiler.nanos();
			long start = System.nanoTime();
			for (int callers : CALLERS) {
				for (Workload workload : List.of(new PutWorkload(clients, callers),
						new GetWorkload(clients, callers, true), new CompareAndSwapWorkload(clients, callers),
						new LockWorkload(clients, callers))) {
					try (workload) {
						workload.prepare();
						for (Client client : workload.clients()) {
							workload.run(client, step);
						}
					}
				}
			}
			double compiling = (double) (JitCompiler.nanos() - jit) / (System.nanoTime() - start);
			progress("warming up the JIT, pass %d: compiling %.1f%% of the time", pass, compiling * 100);
			if (compiling < JIT_SETTLED) {
				return;
			}
		}
	}

	private static List<ManyWatchesResult> runManyWatches(BenchmarkSettings settings, LocalEtcd etcd) {
		List<ManyWatchesResult> results = new ArrayList<>();
		if (!settings.runs("watches")) {
			return results;
		}
		ManyWatches manyWatches = new ManyWatches(etcd, settings.watchTimeout());
		for (int count : settings.watchCounts()) {
			for (Client client : List.of(Client.ETCD_SPRING, Client.JETCD)) {
				ManyWatchesResult result = manyWatches.run(client, count);
				results.add(result);
				progress("%d watches with %s: %d established in %.1f s%s", count, client.label(), result.established(),
						result.openSeconds(), (result.note() != null) ? " (" + result.note() + ")" : "");
			}
		}
		return results;
	}

	private static Footprint footprint(BenchmarkSettings settings) {
		if (!settings.runs("footprint")) {
			return null;
		}
		if (settings.footprint() == null) {
			progress("footprint skipped: dev/benchmark resolves the probes and passes --footprint");
			return null;
		}
		return Footprint.read(settings.footprint());
	}

	private static void progress(String format, Object... args) {
		System.err.printf(Locale.ROOT, "[benchmark] " + format + "%n", args);
	}

}
