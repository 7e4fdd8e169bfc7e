package org.etcdspring.benchmarks.workloads;

import java.nio.charset.StandardCharsets;

/**
 * The values the workloads write: a number as 64 decimal digits, so every value has the
 * same size and can be read back as its number.
 *
 * @author etcd-spring
 */
final class Values {

	private Values() {
	}

	static byte[] of(long number) {
		return String.format("%064d", number).getBytes(StandardCharsets.US_ASCII);
	}

	static long parse(byte[] value) {
		return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
	}

}
