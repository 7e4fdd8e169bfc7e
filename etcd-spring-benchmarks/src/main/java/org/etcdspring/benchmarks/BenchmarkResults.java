package org.etcdspring.benchmarks;

import java.time.Instant;
import java.util.List;

import org.etcdspring.benchmarks.workloads.ManyWatchesResult;

/**
 * Everything one run measured, with the conditions it ran under.
 *
 * @param settings the command line
 * @param etcdVersion the server's version
 * @param etcdExecutable the etcd executable the launcher ran
 * @param connection how the clients connect: plain HTTP or TLS, and the HTTP version
 * @param started when the run started
 * @param finished when it finished
 * @param loadAtStart the machine's load averages at the start
 * @param loadAtEnd the machine's load averages at the end
 * @param idleCpuMillisPerSecond the CPU time this JVM used per second with every client
 * connected and idle
 * @param workloads the results of the workloads run in rounds
 * @param manyWatches the results of the concurrent-watch workload
 * @param footprint the jar footprints, {@code null} when not measured
 * @author etcd-spring
 */
record BenchmarkResults(BenchmarkSettings settings, String etcdVersion, String etcdExecutable, String connection,
		Instant started, Instant finished, MachineLoad loadAtStart, MachineLoad loadAtEnd,
		double idleCpuMillisPerSecond, List<WorkloadResult> workloads, List<ManyWatchesResult> manyWatches,
		Footprint footprint) {

}
