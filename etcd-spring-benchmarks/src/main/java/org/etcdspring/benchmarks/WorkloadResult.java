package org.etcdspring.benchmarks;

import java.util.List;

import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.measure.Measurement;

/**
 * The measurements of every client in one workload.
 *
 * @param id the workload's id
 * @param title the workload's title
 * @param callers how many callers ran at once
 * @param measurements one per client, in column order
 * @author etcd-spring
 */
record WorkloadResult(String id, String title, int callers, List<Measurement> measurements) {

	/**
	 * The measurement of a client.
	 * @param client the client
	 * @return its measurement, {@code null} when it did not take part
	 */
	Measurement of(Client client) {
		return this.measurements.stream()
			.filter((measurement) -> measurement.client() == client)
			.findFirst()
			.orElse(null);
	}

}
