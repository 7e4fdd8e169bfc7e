package org.etcdspring.benchmarks.measure;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The latencies of one caller in one round, in nanoseconds: a growable array, so that
 * percentiles are exact (sorted, not bucketed) up to {@link #CAPACITY} latencies; past
 * that, a uniform random sample of that many (reservoir sampling), so that a workload of
 * millions of operations per second, such as a cache read, cannot exhaust the heap.
 *
 * @author etcd-spring
 */
public final class LatencySamples {

	/** The most latencies kept per caller and round. */
	static final int CAPACITY = 1 << 16;

	private long[] values = new long[4096];

	private int size;

	private long seen;

	/**
	 * Record one latency.
	 * @param nanos the latency in nanoseconds
	 */
	public void add(long nanos) {
		this.seen++;
		if (this.size < CAPACITY) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = nanos;
		}
		else {
			long slot = ThreadLocalRandom.current().nextLong(this.seen);
			if (slot < CAPACITY) {
				this.values[(int) slot] = nanos;
			}
		}
	}

	/**
	 * How many latencies were recorded.
	 * @return the count, kept or not
	 */
	public long count() {
		return this.seen;
	}

	/**
	 * How many latencies were kept.
	 * @return the count, at most {@link #CAPACITY}
	 */
	public int size() {
		return this.size;
	}

	/**
	 * The kept latencies.
	 * @return a copy, in recording order until the capacity was reached
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
