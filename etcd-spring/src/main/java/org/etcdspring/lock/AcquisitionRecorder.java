package org.etcdspring.lock;

import java.time.Duration;

/**
 * Records how long each distributed lock acquisition took, for metrics.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface AcquisitionRecorder {

	/**
	 * One acquisition attempt ended.
	 * @param name the lock name
	 * @param duration how long it took, waiting included
	 * @param acquired whether the lock was taken
	 */
	void record(String name, Duration duration, boolean acquired);

}
