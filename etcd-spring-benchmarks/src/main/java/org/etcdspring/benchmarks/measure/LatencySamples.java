package org.etcdspring.benchmarks.measure;

import java.util.Arrays;

/**
 * The latencies of one caller in one round, in nanoseconds: a growable array, so that
 * percentiles are exact (sorted, not bucketed).
 *
 * @author etcd-spring
 */
public final class LatencySamples {

	private long[] values = new long[4096];

	private int size;

	/**
	 * Record one latency.
	 * @param nanos the latency in nanoseconds
	 */
	public void add(long nanos) {
		if (this.size == this.values.length) {
			this.values = Arrays.copyOf(this.values, this.size * 2);
		}
		this.values[this.size++] = nanos;
	}

	/**
	 * How many latencies were recorded.
	 * @return the count
	 */
	public int size() {
		return this.size;
	}

	/**
	 * The recorded latencies.
	 * @return a copy, in recording order
	 */
	public long[] toArray() {
		return Arrays.copyOf(this.values, this.size);
	}

	/**
	 * The value at a percentile of sorted latencies (nearest rank).
	 * @param sorted latencies in ascending order
	 * @param percentile from 0 to 100
	 * @return the latency, or 0 when there is none
	 */
	public static long percentile(long[] sorted, double percentile) {
		if (sorted.length == 0) {
			return 0;
		}
		int rank = (int) Math.ceil(percentile / 100 * sorted.length);
		return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
	}

}
