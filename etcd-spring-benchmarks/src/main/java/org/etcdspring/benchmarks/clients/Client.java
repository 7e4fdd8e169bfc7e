package org.etcdspring.benchmarks.clients;

/**
 * The clients compared by the benchmark, each a column of the results.
 *
 * @author etcd-spring
 */
public enum Client {

	/**
	 * {@code EtcdTemplate}: {@code RestClient} on the JDK {@code HttpClient}, through
	 * etcd's JSON gateway.
	 */
	ETCD_SPRING("etcd-spring"),

	/**
	 * jetcd 0.8.5: gRPC over one HTTP/2 connection.
	 */
	JETCD("jetcd"),

	/**
	 * A bare {@code java.net.http.HttpClient} sending the same JSON calls to the gateway
	 * as {@link #ETCD_SPRING}: the floor of what the gateway path can cost the client.
	 */
	HTTP_CLIENT("HttpClient");

	private final String label;

	Client(String label) {
		this.label = label;
	}

	/**
	 * The name shown in the results.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

}
