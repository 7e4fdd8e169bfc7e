package org.etcdspring.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The load averages that {@code uptime} shows, from {@code /proc/loadavg}: how busy the
 * machine was, with other work than the benchmark's.
 *
 * @param oneMinute over the last minute
 * @param fiveMinutes over the last five minutes
 * @param fifteenMinutes over the last fifteen minutes
 * @author etcd-spring
 */
record MachineLoad(double oneMinute, double fiveMinutes, double fifteenMinutes) {

	/**
	 * The load averages now.
	 * @return the load, {@code null} where {@code /proc/loadavg} cannot be read
	 */
	static MachineLoad now() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return new MachineLoad(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
					Double.parseDouble(fields[2]));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	@Override
	public String toString() {
		return this.oneMinute + " " + this.fiveMinutes + " " + this.fifteenMinutes;
	}

}
