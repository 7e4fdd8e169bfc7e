package org.etcdspring.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.etcdspring.benchmarks.clients.ClientTls;
import org.etcdspring.benchmarks.clients.UnaryCallPaths;
import org.etcdspring.benchmarks.clients.UnaryCallPaths.Path;
import org.etcdspring.benchmarks.measure.EtcdServer;
import org.etcdspring.benchmarks.measure.JitCompiler;
import org.etcdspring.benchmarks.measure.LocalEtcd;
import org.etcdspring.benchmarks.measure.ProcessCpu;
import org.etcdspring.test.EtcdLocalCluster;

/**
 * What RestClient's message converters, status handlers and observation would cost the
 * transport's unary call: put and linearizable get at 1 and 32 callers, made each way of
 * {@link UnaryCallPaths} in turn (the order rotating every round, as in the main
 * benchmark), against one local etcd. Prints throughput, the JVM's CPU per operation (the
 * JIT compiler's left out) and etcd's.
 *
 * <pre>
 * java -cp "target/classes:$(cat target/classpath.txt)" org.etcdspring.benchmarks.UnaryCallPathsMain \
 *     [--rounds=4] [--duration=2s] [--warmup=1s] [--jit-passes=8] [--etcd=/path/to/etcd] [--tls]
 * </pre>
 *
 * @author etcd-spring
 */
public final class UnaryCallPathsMain {

	private static final int[] CALLERS = { 1, 32 };

	private static final double JIT_SETTLED = 0.02;

	private static final byte[] VALUE = new byte[64];

	private UnaryCallPathsMain() {
	}

	public static void main(String[] args) throws Exception {
		BenchmarkSettings settings = BenchmarkSettings.parse(args);
		if (settings.etcd() != null) {
			System.setProperty("etcd.bin", settings.etcd().toString());
		}
		try (ClientTls tls = settings.tls() ? ClientTls.create() : null) {
			LocalEtcd etcd = new LocalEtcd(tls);
			MachineLoad loadAtStart = MachineLoad.now();
			try (EtcdLocalCluster cluster = etcd.start();
					UnaryCallPaths paths = new UnaryCallPaths(cluster.endpoint(), tls)) {
				EtcdServer server = etcd.observe(cluster);
				progress("etcd %s at %s, load average %s", server.version(), cluster.endpoint(), loadAtStart);
				warmUpJit(settings, paths);
				StringBuilder table = new StringBuilder();
				table.append(String.format(Locale.ROOT,
						"%nUnary call paths: etcd %s, %s, %d rounds of %s, load average %s", server.version(),
						etcd.isTls() ? "TLS" : "plain HTTP", settings.rounds(), settings.duration(), loadAtStart));
				for (int callers : CALLERS) {
					for (boolean put : new boolean[] { true, false }) {
						String title = (put ? "put" : "get linearizable") + ", " + callers
								+ ((callers == 1) ? " caller" : " callers");
						Map<Path, Totals> totals = measure(settings, paths, server, callers, put);
						table.append(format(title, totals));
						progress("%s done", title);
					}
				}
				System.out.println(
						table.append(String.format(Locale.ROOT, "%nload average at the end %s%n", MachineLoad.now())));
			}
		}
	}

	private static void warmUpJit(BenchmarkSettings settings, UnaryCallPaths paths) throws Exception {
		for (int pass = 1; pass <= settings.jitWarmupPasses(); pass++) {
			long jit = JitCompiler.nanos();
			long start = System.nanoTime();
			for (int callers : CALLERS) {
				for (boolean put : new boolean[] { true, false }) {
					for (Path path : Path.values()) {
						round(paths, path, callers, put, settings.warmup().dividedBy(2));
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

	private static Map<Path, Totals> measure(BenchmarkSettings settings, UnaryCallPaths paths, EtcdServer server,
			int callers, boolean put) throws Exception {
		server.compact();
		for (int caller = 0; caller < 32; caller++) {
			paths.put(Path.TRANSPORT, key(caller), VALUE);
		}
		Path[] order = Path.values();
		for (Path path : order) {
			round(paths, path, callers, put, settings.warmup());
		}
		Map<Path, Totals> totals = new EnumMap<>(Path.class);
		for (Path path : order) {
			totals.put(path, new Totals());
		}
		for (int round = 0; round < settings.rounds(); round++) {
			for (int turn = 0; turn < order.length; turn++) {
				Path path = order[(round + turn) % order.length];
				System.gc();
				long jit = JitCompiler.nanos();
				long cpu = ProcessCpu.nanos();
				long etcdCpu = server.cpuNanos();
				long start = System.nanoTime();
				long operations = round(paths, path, callers, put, settings.duration());
				long elapsed = System.nanoTime() - start;
				long jitDuring = JitCompiler.nanos() - jit;
				totals.get(path)
					.add(operations, elapsed, ProcessCpu.nanos() - cpu - jitDuring, server.cpuNanos() - etcdCpu);
			}
		}
		return totals;
	}

	/**
	 * Callers each make calls one after another until the time is up.
	 * @return the calls completed
	 */
	private static long round(UnaryCallPaths paths, Path path, int callers, boolean put, Duration duration)
			throws InterruptedException, ExecutionException {
		AtomicInteger count = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(callers, (runnable) -> {
			Thread thread = new Thread(runnable, "bench-caller-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		try {
			CountDownLatch start = new CountDownLatch(1);
			long deadline = System.nanoTime() + duration.toNanos();
			List<Future<Long>> results = new ArrayList<>();
			for (int caller = 0; caller < callers; caller++) {
				String key = key(caller);
				results.add(threads.submit(() -> {
					start.await();
					long operations = 0;
					while (System.nanoTime() < deadline) {
						if (put) {
							paths.put(path, key, VALUE);
						}
						else if (paths.get(path, key) == null) {
							throw new IllegalStateException("'" + key + "' was put before the gets, yet is missing");
						}
						operations++;
					}
					return operations;
				}));
			}
			start.countDown();
			long operations = 0;
			for (Future<Long> result : results) {
				operations += result.get();
			}
			return operations;
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static String key(int caller) {
		return "bench/paths/" + caller;
	}

	private static String format(String title, Map<Path, Totals> totals) {
		Totals reference = totals.get(Path.EXCHANGE);
		StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%n%n%s%n", title));
		text.append("| path | ops/s | CPU us/op | CPU x exchange | etcd us/op |\n");
		text.append("| --- | --- | --- | --- | --- |\n");
		totals.forEach((path,
				total) -> text.append(String.format(Locale.ROOT, "| %s | %,.0f | %.1f | %.2f | %.1f |%n", path.label(),
						total.opsPerSecond(), total.cpuMicrosPerOp(),
						total.cpuMicrosPerOp() / reference.cpuMicrosPerOp(), total.etcdMicrosPerOp())));
		return text.toString();
	}

	private static void progress(String format, Object... args) {
		System.err.printf(Locale.ROOT, "[unary-call-paths] " + format + "%n", args);
	}

	private static final class Totals {

		private long operations;

		private long elapsedNanos;

		private long cpuNanos;

		private long etcdCpuNanos;

		void add(long operations, long elapsedNanos, long cpuNanos, long etcdCpuNanos) {
			this.operations += operations;
			this.elapsedNanos += elapsedNanos;
			this.cpuNanos += cpuNanos;
			this.etcdCpuNanos += etcdCpuNanos;
		}

		double opsPerSecond() {
			return this.operations / (this.elapsedNanos / 1e9);
		}

		double cpuMicrosPerOp() {
			return this.cpuNanos / 1e3 / this.operations;
		}

		double etcdMicrosPerOp() {
			return this.etcdCpuNanos / 1e3 / this.operations;
		}

	}

}
