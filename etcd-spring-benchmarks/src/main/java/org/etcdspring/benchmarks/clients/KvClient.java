package org.etcdspring.benchmarks.clients;

/**
 * The key/value calls of the throughput workloads, as each client makes them. Every
 * method blocks until the server answered.
 *
 * @author etcd-spring
 */
public interface KvClient {

	/**
	 * Put a value.
	 * @param key the key
	 * @param value the value
	 */
	void put(String key, byte[] value);

	/**
	 * Read a value.
	 * @param key the key
	 * @param serializable {@code true} for a serializable read (served by the member
	 * itself), {@code false} for a linearizable one (confirmed through Raft)
	 * @return the value, or {@code null} when the key does not exist
	 */
	byte[] get(String key, boolean serializable);

	/**
	 * One compare-and-swap transaction: put the value if the key holds the expected one.
	 * @param key the key
	 * @param expected the value the key must hold
	 * @param value the new value
	 * @return whether the swap happened
	 */
	boolean compareAndSwap(String key, byte[] expected, byte[] value);

}
