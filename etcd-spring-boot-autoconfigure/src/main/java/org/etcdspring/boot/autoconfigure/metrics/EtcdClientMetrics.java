package org.etcdspring.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.lease.EtcdLeases;
import org.etcdspring.watch.EtcdWatches;

/**
 * Meters of an {@link EtcdTemplate}'s watches and lease keep-alives.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdClientMetrics implements MeterBinder {

	private final EtcdTemplate template;

	public EtcdClientMetrics(EtcdTemplate template) {
		this.template = template;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		EtcdWatches watches = this.template.getWatches();
		EtcdLeases leases = this.template.leases();
		Gauge.builder("etcd.watch.active", watches, EtcdWatches::activeCount)
			.description("Watches running (reconnecting ones included)")
			.register(registry);
		FunctionCounter.builder("etcd.watch.reconnects", watches, EtcdWatches::reconnectCount)
			.description("Watch streams opened again after a failure")
			.register(registry);
		FunctionCounter.builder("etcd.watch.events", watches, EtcdWatches::eventCount)
			.description("Watch events delivered to listeners")
			.register(registry);
		FunctionCounter.builder("etcd.lease.keepalive.failures", leases, EtcdLeases::keepAliveFailureCount)
			.description("Background lease renewals that failed")
			.register(registry);
		Gauge.builder("etcd.lease.keepalive.active", leases, EtcdLeases::keepAliveCount)
			.description("Leases kept alive in the background")
			.register(registry);
	}

}
