package org.etcdspring.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.etcdspring.benchmarks.clients.Batches;
import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.clients.Clients;
import org.etcdspring.benchmarks.measure.EtcdServer;
import org.etcdspring.benchmarks.measure.JitCompiler;
import org.etcdspring.benchmarks.measure.Measurement;
import org.etcdspring.benchmarks.measure.ProcessCpu;
import org.etcdspring.benchmarks.measure.RoundResult;
import org.etcdspring.benchmarks.workloads.Workload;

/**
 * Runs a workload fairly: the history is compacted first, each client warms up for one
 * unmeasured round, then the clients take turns for the measured rounds, the order
 * rotating every round (A B C, B C A, C A B, ...) so that drift of a busy machine falls
 * on all of them. Before every round a full GC clears the garbage of the previous one;
 * the client CPU time of a round is that of the whole JVM but its JIT compiler, etcd's
 * that of its process.
 *
 * @author etcd-spring
 */
final class AlternatingRounds {

	private final BenchmarkSettings settings;

	private final EtcdServer server;

	private final Clients clients;

	AlternatingRounds(BenchmarkSettings settings, EtcdServer server, Clients clients) {
		this.settings = settings;
		this.server = server;
		this.clients = clients;
	}

	WorkloadResult run(Workload workload) {
		this.server.compact();
		try (workload) {
			workload.prepare();
			List<Client> clients = workload.clients();
			for (Client client : clients) {
				workload.run(client, this.settings.warmup());
			}
			Map<Client, Measurement> measurements = new EnumMap<>(Client.class);
			clients.forEach((client) -> measurements.put(client, new Measurement(client)));
			for (int round = 0; round < this.settings.rounds(); round++) {
				for (int turn = 0; turn < clients.size(); turn++) {
					Client client = clients.get((round + turn) % clients.size());
					ManagementFactory.getMemoryMXBean().gc();
					Batches batches = this.clients.etcdSpringBatches();
					long jit = JitCompiler.nanos();
					long clientCpu = ProcessCpu.nanos();
					long serverCpu = this.server.cpuNanos();
					RoundResult result = workload.run(client, this.settings.duration());
					long jitDuringRound = JitCompiler.nanos() - jit;
					Measurement measurement = measurements.get(client);
					measurement.add(result, ProcessCpu.nanos() - clientCpu - jitDuringRound, jitDuringRound,
							this.server.cpuNanos() - serverCpu);
					if (client == Client.ETCD_SPRING) {
						Batches sent = this.clients.etcdSpringBatches().since(batches);
						measurement.addBatches(sent.batches(), sent.operations());
					}
				}
			}
			return new WorkloadResult(workload.id(), workload.title(), workload.callers(),
					new ArrayList<>(measurements.values()));
		}
	}

}
