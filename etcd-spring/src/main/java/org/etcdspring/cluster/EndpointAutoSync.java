package org.etcdspring.cluster;

import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Durations;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdThreads;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;

/**
 * Keeps the endpoints of a client in line with the cluster's membership: every interval
 * it {@linkplain ClusterOperations#syncEndpoints() syncs} them from the member list, on
 * one daemon thread named {@code etcd-auto-sync} that runs while this lifecycle is
 * running. A failed sync leaves the endpoints as they were and is tried again at the next
 * interval.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EndpointAutoSync implements SmartLifecycle, AutoCloseable {

	static final String THREAD_NAME = "etcd-auto-sync";

	private static final Log logger = LogFactory.getLog(EndpointAutoSync.class);

	private final ClusterOperations cluster;

	private final Duration interval;

	private @Nullable ThreadPoolTaskScheduler executor;

	private volatile boolean failing;

	/**
	 * Create an auto-sync that is not running yet.
	 * @param cluster the cluster whose endpoints to sync
	 * @param interval the time between two syncs
	 */
	public EndpointAutoSync(ClusterOperations cluster, Duration interval) {
		Assert.notNull(cluster, "'cluster' must not be null");
		this.cluster = cluster;
		this.interval = Durations.requirePositive(interval, "'interval'");
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		ThreadPoolTaskScheduler executor = EtcdThreads.platform().timer(THREAD_NAME);
		executor.scheduleWithFixedDelay(this::sync, Instant.now().plus(this.interval), this.interval);
		this.executor = executor;
	}

	@Override
	public synchronized void stop() {
		ThreadPoolTaskScheduler executor = this.executor;
		if (executor == null) {
			return;
		}
		this.executor = null;
		// Interrupts a sync in flight: its request fails at once instead of holding up
		// shutdown
		executor.shutdown();
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	@Override
	public void close() {
		stop();
	}

	private void sync() {
		try {
			this.cluster.syncEndpoints();
			if (this.failing) {
				logger.info("etcd endpoint auto-sync works again: endpoints are " + this.cluster.endpoints());
				this.failing = false;
			}
		}
		catch (EtcdException ex) {
			if (Thread.currentThread().isInterrupted()) {
				// Stopped in the middle of a sync: not a failure of the cluster
				return;
			}
			// Once per streak of failures: the cluster may be down for a while
			if (!this.failing) {
				logger.warn("etcd endpoint auto-sync failed, keeping endpoints " + this.cluster.endpoints() + ": "
						+ ex.getMessage());
				this.failing = true;
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("etcd endpoint auto-sync failed again: " + ex.getMessage());
			}
		}
		catch (RuntimeException ex) {
			// An unexpected failure must not end the schedule, which would stop auto-sync
			// silently
			logger.error("etcd endpoint auto-sync failed", ex);
		}
	}

}
