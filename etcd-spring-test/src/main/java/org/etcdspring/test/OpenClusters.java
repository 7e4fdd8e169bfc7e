package org.etcdspring.test;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registry of clusters that are not closed yet, closed by a JVM shutdown hook so no etcd
 * process outlives the tests that started it.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
final class OpenClusters {

	private static final System.Logger logger = System.getLogger(OpenClusters.class.getName());

	private static final Set<EtcdLocalCluster> clusters = ConcurrentHashMap.newKeySet();

	static {
		// Class initialization happens once, on the first add, so the hook is registered
		// once
		Runtime.getRuntime().addShutdownHook(new Thread(OpenClusters::closeAll, "etcd-local-cluster-cleanup"));
	}

	private OpenClusters() {
	}

	/**
	 * Remember a cluster until it is {@linkplain #remove removed}.
	 * @param cluster the cluster that is being started
	 */
	static void add(EtcdLocalCluster cluster) {
		clusters.add(cluster);
	}

	/**
	 * Forget a cluster that has been closed.
	 * @param cluster the closed cluster
	 */
	static void remove(EtcdLocalCluster cluster) {
		clusters.remove(cluster);
	}

	private static void closeAll() {
		for (EtcdLocalCluster cluster : List.copyOf(clusters)) {
			try {
				cluster.awaitOwnerClose();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			try {
				cluster.close();
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "Could not close etcd cluster in " + cluster.directory(), ex);
			}
		}
	}

}
