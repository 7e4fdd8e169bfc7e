package org.etcdspring.benchmarks.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.etcdspring.benchmarks.clients.Client;

/**
 * The rounds of one client in one workload, added up: throughput over the total time,
 * percentiles over every latency of every round, CPU per operation over every operation.
 *
 * @author etcd-spring
 */
public final class Measurement {

	private final Client client;

	private final List<long[]> latencies = new ArrayList<>();

	private final List<Double> roundThroughputs = new ArrayList<>();

	private long operations;

	private long errors;

	private long elapsedNanos;

	private long clientCpuNanos;

	private long serverCpuNanos;

	private long jitNanos;

	private long batches;

	private long batchedOperations;

	private String firstError;

	private long[] sorted;

	public Measurement(Client client) {
		this.client = client;
	}

	/**
	 * Add one round.
	 * @param round what the client did
	 * @param clientCpuNanos the CPU time this JVM used during the round, the JIT
	 * compiler's left out
	 * @param jitNanos the time the JIT compiler spent during the round
	 * @param serverCpuNanos the CPU time etcd used during the round
	 */
	public void add(RoundResult round, long clientCpuNanos, long jitNanos, long serverCpuNanos) {
		this.operations += round.operations();
		this.errors += round.errors();
		this.elapsedNanos += round.elapsedNanos();
		this.clientCpuNanos += clientCpuNanos;
		this.jitNanos += jitNanos;
		this.serverCpuNanos += serverCpuNanos;
		this.latencies.add(round.latencies());
		this.roundThroughputs.add(round.operationsPerSecond());
		if (this.firstError == null) {
			this.firstError = round.firstError();
		}
		this.sorted = null;
	}

	public Client client() {
		return this.client;
	}

	public long operations() {
		return this.operations;
	}

	public long errors() {
		return this.errors;
	}

	/**
	 * The message of the first failed operation.
	 * @return the message, {@code null} when none failed
	 */
	public String firstError() {
		return this.firstError;
	}

	/**
	 * Completed operations per second over all rounds.
	 * @return the throughput
	 */
	public double operationsPerSecond() {
		return (this.elapsedNanos > 0) ? this.operations * 1e9 / this.elapsedNanos : 0;
	}

	/**
	 * The throughput of each round, in the order run.
	 * @return operations per second per round
	 */
	public List<Double> roundThroughputs() {
		return List.copyOf(this.roundThroughputs);
	}

	/**
	 * A latency percentile over all rounds.
	 * @param percentile from 0 to 100
	 * @return milliseconds
	 */
	public double latencyMillis(double percentile) {
		if (this.sorted == null) {
			this.sorted = this.latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
		}
		return LatencySamples.percentile(this.sorted, percentile) / 1e6;
	}

	/**
	 * The CPU time of this JVM per operation, the JIT compiler's left out.
	 * @return microseconds per operation
	 */
	public double clientCpuMicrosPerOperation() {
		return perOperation(this.clientCpuNanos);
	}

	/**
	 * The time the JIT compiler spent during the rounds, left out of the client CPU.
	 * @return milliseconds
	 */
	public double jitMillis() {
		return this.jitNanos / 1e6;
	}

	/**
	 * Add the batches etcd-spring sent during a round.
	 * @param batches the transactions that carried more than one operation
	 * @param batchedOperations the operations they carried
	 */
	public void addBatches(long batches, long batchedOperations) {
		this.batches += batches;
		this.batchedOperations += batchedOperations;
	}

	/**
	 * The transactions etcd-spring sent that carried more than one operation.
	 * @return the number of batches
	 */
	public long batches() {
		return this.batches;
	}

	/**
	 * How many operations a batch carried, on average.
	 * @return operations per batch, 0 when none was sent
	 */
	public double operationsPerBatch() {
		return (this.batches > 0) ? (double) this.batchedOperations / this.batches : 0;
	}

	/**
	 * The CPU time of etcd per operation.
	 * @return microseconds per operation
	 */
	public double serverCpuMicrosPerOperation() {
		return perOperation(this.serverCpuNanos);
	}

	private double perOperation(long nanos) {
		return (this.operations > 0) ? nanos / 1e3 / this.operations : 0;
	}

}
