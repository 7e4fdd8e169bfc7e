package org.etcdspring.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.cache.EtcdCaches;

/**
 * Meters of the {@link org.etcdspring.cache.EtcdCache caches} opened through an
 * {@link EtcdTemplate}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdCacheMetrics implements MeterBinder {

	private final EtcdTemplate template;

	public EtcdCacheMetrics(EtcdTemplate template) {
		this.template = template;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		EtcdCaches caches = this.template.getCaches();
		Gauge.builder("etcd.cache.open", caches, EtcdCaches::count).description("Caches open").register(registry);
		Gauge.builder("etcd.cache.size", caches, EtcdCaches::size)
			.description("Keys held by the open caches together")
			.register(registry);
		Gauge.builder("etcd.cache.revision.lag", caches, EtcdCaches::revisionLag)
			.description("Revisions received by a cache's watch but not yet applied (the largest over the caches)")
			.register(registry);
		FunctionCounter.builder("etcd.cache.resyncs", caches, EtcdCaches::resyncCount)
			.description("Prefix reads after a cache's watch could not resume (compaction, cancellation)")
			.register(registry);
	}

}
