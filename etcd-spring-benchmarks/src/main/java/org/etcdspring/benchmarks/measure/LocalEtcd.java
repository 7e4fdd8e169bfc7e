package org.etcdspring.benchmarks.measure;

import org.etcdspring.benchmarks.clients.ClientTls;
import org.etcdspring.benchmarks.clients.Clients;
import org.etcdspring.test.EtcdLocalCluster;

/**
 * How the benchmark's etcd is started and reached: one member through the launcher (whose
 * binary {@code --etcd} or {@code ETCD_BIN} selects), in plain HTTP or, with
 * {@code --tls}, over TLS with client certificates that every client presents.
 *
 * @author etcd-spring
 */
public final class LocalEtcd {

	private final ClientTls tls;

	/**
	 * Describe the server to start.
	 * @param tls the certificates of a TLS run, or {@code null} for plain HTTP
	 */
	public LocalEtcd(ClientTls tls) {
		this.tls = tls;
	}

	/**
	 * Start one member.
	 * @return the running member
	 */
	public EtcdLocalCluster start() {
		EtcdLocalCluster.Builder builder = EtcdLocalCluster.builder();
		if (this.tls != null) {
			builder.tls(this.tls.etcdTls());
		}
		return builder.start();
	}

	/**
	 * Connect every client to the member.
	 * @param cluster the member
	 * @return the clients
	 */
	public Clients connect(EtcdLocalCluster cluster) {
		return Clients.connect(cluster.endpoint(), this.tls);
	}

	/**
	 * Observe the member's process and reach it for housekeeping.
	 * @param cluster the member
	 * @return the observer
	 */
	public EtcdServer observe(EtcdLocalCluster cluster) {
		return new EtcdServer(cluster.member(0).pid(), cluster.endpoint(),
				(this.tls != null) ? this.tls.sslContext() : null);
	}

	/**
	 * Whether clients connect over TLS.
	 * @return {@code true} with {@code --tls}
	 */
	public boolean isTls() {
		return this.tls != null;
	}

}
