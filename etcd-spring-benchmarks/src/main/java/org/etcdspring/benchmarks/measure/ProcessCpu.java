package org.etcdspring.benchmarks.measure;

import java.lang.management.ManagementFactory;

import com.sun.management.OperatingSystemMXBean;

/**
 * The CPU time used by this JVM, every thread together (callers, client I/O threads, JIT
 * and GC).
 *
 * @author etcd-spring
 */
public final class ProcessCpu {

	private static final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private ProcessCpu() {
	}

	/**
	 * The CPU time this process used so far.
	 * @return nanoseconds of CPU time
	 */
	public static long nanos() {
		return os.getProcessCpuTime();
	}

}
