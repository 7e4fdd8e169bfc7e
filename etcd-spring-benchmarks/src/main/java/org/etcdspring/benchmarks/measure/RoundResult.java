package org.etcdspring.benchmarks.measure;

/**
 * What one client did in one round.
 *
 * @param operations the operations completed
 * @param errors the operations that failed
 * @param elapsedNanos from the start of the round until the last caller finished
 * @param latencies the latency of each completed operation, in nanoseconds
 * @param firstError the message of the first failure, {@code null} when none failed
 * @author etcd-spring
 */
public record RoundResult(long operations, long errors, long elapsedNanos, long[] latencies, String firstError) {

	/**
	 * Operations per second in this round.
	 * @return the throughput
	 */
	public double operationsPerSecond() {
		return (this.elapsedNanos > 0) ? this.operations * 1e9 / this.elapsedNanos : 0;
	}

}
