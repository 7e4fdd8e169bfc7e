package org.etcdspring.benchmarks.workloads;

import java.time.Duration;
import java.util.List;

import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.measure.RoundResult;

/**
 * One thing to measure, run in rounds with each of its clients in turn.
 *
 * @author etcd-spring
 */
public interface Workload extends AutoCloseable {

	/**
	 * A short name that selects the workload on the command line, such as {@code put}.
	 * @return the name
	 */
	String id();

	/**
	 * How the workload is shown in the results, such as {@code put, 32 callers}.
	 * @return the title
	 */
	String title();

	/**
	 * How many callers run operations at the same time.
	 * @return the number of callers
	 */
	int callers();

	/**
	 * The clients that take part, in their column order.
	 * @return the clients
	 */
	List<Client> clients();

	/**
	 * Write the keys the workload needs and set up each client.
	 */
	void prepare();

	/**
	 * Run one round with one client.
	 * @param client the client
	 * @param duration how long the callers keep starting operations
	 * @return what the client did
	 */
	RoundResult run(Client client, Duration duration);

	/**
	 * Release the workload's threads, sessions and watches.
	 */
	@Override
	void close();

}
