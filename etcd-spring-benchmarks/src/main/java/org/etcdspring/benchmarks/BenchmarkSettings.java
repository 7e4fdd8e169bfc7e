package org.etcdspring.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The command line of {@link BenchmarkMain}.
 *
 * @param warmup how long each client warms up per workload (one round, not measured)
 * @param duration how long each measured round lasts
 * @param rounds how many measured rounds each client gets per workload
 * @param jitWarmupPasses at most how many passes of put, get, compare-and-swap and lock
 * warm up the JIT before the first workload
 * @param watchCounts how many watches the concurrent-watch workload opens, in turn
 * @param watchTimeout how long to wait for that many watches to be established
 * @param only the workloads to run, empty for all
 * @param output where to write the JSON results
 * @param footprint the directory of the footprint probes, {@code null} to skip the
 * footprint
 * @param etcd the etcd executable, {@code null} for the launcher's choice
 * ({@code ETCD_BIN}, then {@code PATH})
 * @param tls whether etcd serves clients over TLS with client certificates
 * @author etcd-spring
 */
record BenchmarkSettings(Duration warmup, Duration duration, int rounds, int jitWarmupPasses, List<Integer> watchCounts,
		Duration watchTimeout, Set<String> only, Path output, Path footprint, Path etcd, boolean tls) {

	static final String USAGE = """
			Usage: BenchmarkMain [--help] [--quick] [--duration=2s] [--warmup=1s] [--rounds=4] [--jit-passes=8]
			                     [--watches=1000,10000] [--watch-timeout=60s]
			                     [--only=put,get-linearizable,get-serializable,cache-get,cas,lock,
			                       stm-transfer,cas-transfer,watch-latency,watches,footprint]
			                     [--output=target/benchmark.json] [--footprint=<dir of the footprint probes>]
			                     [--etcd=/path/to/etcd] [--tls]
			  --quick       a smoke run: rounds of 0.5 s after 0.25 s of warm-up, one round each, one JIT pass
			  --jit-passes  the JIT warm-up stops after this many passes, or earlier once it compiles
			                less than 2% of the time; a pass runs each client for warmup/2 per workload
			  --etcd        the etcd executable to benchmark; default: ETCD_BIN, else etcd on the PATH
			  --tls         etcd serves clients over https only and requires client certificates (made with
			                openssl for the run); all three clients trust its CA and present one
			""";

	private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s)");

	/**
	 * Read the command line.
	 * @param args the arguments
	 * @return the settings
	 * @throws IllegalArgumentException on an unknown or malformed argument
	 */
	static BenchmarkSettings parse(String[] args) {
		boolean quick = Arrays.asList(args).contains("--quick");
		Duration warmup = quick ? Duration.ofMillis(250) : Duration.ofSeconds(1);
		Duration duration = quick ? Duration.ofMillis(500) : Duration.ofSeconds(2);
		int rounds = quick ? 1 : 4;
		int jitWarmupPasses = quick ? 1 : 8;
		List<Integer> watchCounts = List.of(1_000, 10_000);
		Duration watchTimeout = Duration.ofSeconds(60);
		Set<String> only = Set.of();
		Path output = Path.of("target", "benchmark.json");
		Path footprint = null;
		Path etcd = null;
		boolean tls = false;
		for (String arg : args) {
			String value = arg.substring(arg.indexOf('=') + 1);
			if (arg.equals("--quick")) {
				continue;
			}
			else if (arg.startsWith("--duration=")) {
				duration = duration(value);
			}
			else if (arg.startsWith("--warmup=")) {
				warmup = duration(value);
			}
			else if (arg.startsWith("--rounds=")) {
				rounds = Integer.parseInt(value);
			}
			else if (arg.startsWith("--jit-passes=")) {
				jitWarmupPasses = Integer.parseInt(value);
			}
			else if (arg.startsWith("--watches=")) {
				watchCounts = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
			}
			else if (arg.startsWith("--watch-timeout=")) {
				watchTimeout = duration(value);
			}
			else if (arg.startsWith("--only=")) {
				only = Arrays.stream(value.split(",")).map(String::trim).collect(Collectors.toUnmodifiableSet());
			}
			else if (arg.startsWith("--output=")) {
				output = Path.of(value);
			}
			else if (arg.startsWith("--footprint=")) {
				footprint = Path.of(value);
			}
			else if (arg.startsWith("--etcd=")) {
				etcd = etcd(value);
			}
			else if (arg.equals("--tls")) {
				tls = true;
			}
			else {
				throw new IllegalArgumentException("Unknown argument '" + arg + "'\n" + USAGE);
			}
		}
		if (rounds < 1) {
			throw new IllegalArgumentException("--rounds must be at least 1\n" + USAGE);
		}
		if (jitWarmupPasses < 0) {
			throw new IllegalArgumentException("--jit-passes must not be negative\n" + USAGE);
		}
		return new BenchmarkSettings(warmup, duration, rounds, jitWarmupPasses, watchCounts, watchTimeout, only, output,
				footprint, etcd, tls);
	}

	private static Path etcd(String value) {
		Path etcd = Path.of(value).toAbsolutePath();
		if (!Files.isRegularFile(etcd) || !Files.isExecutable(etcd)) {
			throw new IllegalArgumentException("--etcd=" + value + " is not an executable file\n" + USAGE);
		}
		// The launcher reads ETCD_BIN before the etcd.bin property that --etcd sets
		String environment = System.getenv("ETCD_BIN");
		if (environment != null && !environment.isBlank() && !Path.of(environment).toAbsolutePath().equals(etcd)) {
			throw new IllegalArgumentException(
					"--etcd=" + value + " and ETCD_BIN=" + environment + " name different executables; drop one");
		}
		return etcd;
	}

	private static Duration duration(String text) {
		Matcher matcher = DURATION.matcher(text);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms or 2s\n" + USAGE);
		}
		double amount = Double.parseDouble(matcher.group(1));
		return Duration.ofNanos((long) (amount * (matcher.group(2).equals("ms") ? 1e6 : 1e9)));
	}

	/**
	 * Whether a workload is selected.
	 * @param id the workload's id
	 * @return {@code true} when no selection was made or it names the workload
	 */
	boolean runs(String id) {
		return this.only.isEmpty() || this.only.contains(id);
	}

}
