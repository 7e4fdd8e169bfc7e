package org.etcdspring.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.etcdspring.lock.EtcdLocks;

/**
 * Meters of the distributed locks: {@code etcd.lock.acquire} (timer, tagged with the
 * outcome), {@code etcd.locks.held} (gauge) and {@code etcd.lock.lost} (counter).
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLockMetrics implements MeterBinder {

	private final EtcdLocks locks;

	public EtcdLockMetrics(EtcdLocks locks) {
		this.locks = locks;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Timer acquired = acquireTimer(registry, "acquired");
		Timer notAcquired = acquireTimer(registry, "not-acquired");
		this.locks.setAcquisitionRecorder((name, duration, taken) -> (taken ? acquired : notAcquired).record(duration));
		Gauge.builder("etcd.locks.held", this.locks, (locks) -> locks.heldLocks().size())
			.description("Distributed locks this application holds")
			.register(registry);
		FunctionCounter.builder("etcd.lock.lost", this.locks, EtcdLocks::lostLockCount)
			.description("Distributed locks lost while held")
			.register(registry);
	}

	private static Timer acquireTimer(MeterRegistry registry, String outcome) {
		return Timer.builder("etcd.lock.acquire")
			.description("Time to acquire a distributed lock, waiting included")
			.tag("outcome", outcome)
			.register(registry);
	}

}
