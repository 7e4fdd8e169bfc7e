package org.etcdspring.benchmarks.measure;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The time this JVM's JIT compiler spent compiling. The compiler threads run beside the
 * callers and count in the process CPU time; on two cores C2 keeps compiling for tens of
 * seconds, so a round measured before it settles is charged for the client's warm-up.
 *
 * @author etcd-spring
 */
public final class JitCompiler {

	private static final CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();

	private JitCompiler() {
	}

	/**
	 * The time spent compiling so far.
	 * @return nanoseconds, 0 where the JVM does not report it
	 */
	public static long nanos() {
		return (compilation != null && compilation.isCompilationTimeMonitoringSupported())
				? compilation.getTotalCompilationTime() * 1_000_000 : 0;
	}

}
