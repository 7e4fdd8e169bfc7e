package org.etcdspring.test;

import java.util.List;

/**
 * Runs a single local etcd member until the JVM stops, for trying things out by hand.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdLocalServerMain {

	private EtcdLocalServerMain() {
	}

	/**
	 * Start a single etcd member and keep it running until the JVM is stopped, typically
	 * with Ctrl-C, which deletes its data.
	 * @param args extra etcd flags, passed on as they are
	 * @throws InterruptedException if the main thread is interrupted
	 */
	public static void main(String[] args) throws InterruptedException {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.builder().extraArgs(List.of(args)).start()) {
			System.out.println("etcd is running at " + cluster.endpoint());
			System.out.println("Data and logs are in " + cluster.directory() + "; press Ctrl-C to stop");
			// Ctrl-C ends the JVM without interrupting this thread; the shutdown hook
			// closes the cluster
			Thread.currentThread().join();
		}
	}

}
