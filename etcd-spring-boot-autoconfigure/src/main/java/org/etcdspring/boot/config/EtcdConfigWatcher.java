package org.etcdspring.boot.config;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.EtcdOperations;
import org.etcdspring.cache.EtcdCache;
import org.etcdspring.cache.EtcdCacheChange;
import org.etcdspring.cache.EtcdCacheListener;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdThreads;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.PrintableKey;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Keeps the properties imported from etcd up to date: one {@link EtcdCache} per imported
 * prefix updates the {@link EtcdPropertySource} in place, one revision at a time (the
 * keys of a transaction change together, in one event), and publishes an
 * {@link EtcdConfigChangedEvent}. The cache resumes after reconnects and reads the prefix
 * again when the history it needs was compacted, so reload never stops for good; changes
 * made between the import and the start of the watcher are applied at start. When Spring
 * Cloud Context is on the class path it also publishes its
 * {@code EnvironmentChangeEvent}, which rebinds {@code @ConfigurationProperties} beans.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdConfigWatcher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(EtcdConfigWatcher.class);

	/**
	 * The pauses before the live reload of a prefix tries to start again: 2 s, doubled
	 * each time, at most 30 s.
	 */
	static final BackOff RETRY_PAUSES;

	static {
		ExponentialBackOff pauses = new ExponentialBackOff(2000, 2);
		pauses.setMaxInterval(30_000);
		RETRY_PAUSES = pauses;
	}

	private static final String ENVIRONMENT_CHANGE_EVENT = "org.springframework.cloud.context.environment.EnvironmentChangeEvent";

	private final EtcdOperations etcd;

	private final ConfigurableEnvironment environment;

	private final ApplicationEventPublisher publisher;

	private final List<EtcdCache> caches = new ArrayList<>();

	private @Nullable ScheduledExecutorService retries;

	private volatile boolean running;

	public EtcdConfigWatcher(EtcdOperations etcd, ConfigurableEnvironment environment,
			ApplicationEventPublisher publisher) {
		this.etcd = etcd;
		this.environment = environment;
		this.publisher = publisher;
	}

	@Override
	public synchronized void start() {
		this.running = true;
		for (PropertySource<?> source : this.environment.getPropertySources()) {
			if (source instanceof EtcdPropertySource etcdSource) {
				follow(etcdSource, RETRY_PAUSES.start());
			}
		}
	}

	/**
	 * Open the prefix's cache; while etcd does not answer, try again in the background.
	 */
	private synchronized void follow(EtcdPropertySource source, BackOffExecution pauses) {
		if (!this.running) {
			return;
		}
		try {
			EtcdCache cache = this.etcd.cache(source.getPrefix());
			this.caches.add(cache);
			Reloader reloader = new Reloader(source, cache);
			cache.addListener(reloader);
			// An empty cache sends no INITIAL change: keys deleted between the import
			// and now must go all the same.
			reloader.reconcile();
		}
		catch (EtcdException ex) {
			long delay = pauses.nextBackOff();
			logger.warn("Live reload of etcd configuration under '" + PrintableKey.of(source.getPrefix())
					+ "' cannot start (" + ex.getMessage() + "); trying again in "
					+ TimeUnit.MILLISECONDS.toSeconds(delay) + " s");
			try {
				retries().schedule(() -> follow(source, pauses), delay, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException stopped) {
				// Stopping.
			}
		}
	}

	private ScheduledExecutorService retries() {
		if (this.retries == null) {
			this.retries = EtcdThreads.platform().timer("etcd-config-reload").getScheduledExecutor();
		}
		return this.retries;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		this.caches.forEach(EtcdCache::close);
		this.caches.clear();
		if (this.retries != null) {
			this.retries.shutdownNow();
			this.retries = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void publish(EtcdPropertySource source, Set<String> changed) {
		this.publisher.publishEvent(new EtcdConfigChangedEvent(this, source.getPrefix(), changed));
		ApplicationEvent cloudEvent = environmentChangeEvent(changed);
		if (cloudEvent != null) {
			this.publisher.publishEvent(cloudEvent);
		}
	}

	private @Nullable ApplicationEvent environmentChangeEvent(Set<String> changed) {
		ClassLoader classLoader = getClass().getClassLoader();
		if (!ClassUtils.isPresent(ENVIRONMENT_CHANGE_EVENT, classLoader)) {
			return null;
		}
		try {
			Constructor<?> constructor = ClassUtils.forName(ENVIRONMENT_CHANGE_EVENT, classLoader)
				.getConstructor(Object.class, Set.class);
			return (ApplicationEvent) constructor.newInstance(this.environment, changed);
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			logger.warn("Cannot publish Spring Cloud's EnvironmentChangeEvent: " + ex);
			return null;
		}
	}

	/**
	 * Applies each change of the cache to the property source: the cache's whole content
	 * at the change's revision, so the keys of one transaction change together.
	 */
	private final class Reloader implements EtcdCacheListener {

		private final EtcdPropertySource source;

		private final EtcdCache cache;

		Reloader(EtcdPropertySource source, EtcdCache cache) {
			this.source = source;
			this.cache = cache;
		}

		@Override
		public void onChange(EtcdCacheChange change) {
			if (change.kind() == EtcdCacheChange.Kind.RESYNC) {
				logger.info("etcd configuration under '" + PrintableKey.of(this.source.getPrefix())
						+ "' was read again (its watch could not resume) at revision " + change.revision());
			}
			// Called in revision order with the cache as of this change.
			apply(change.revision());
		}

		/**
		 * Apply the cache's content as it is now, whatever it holds.
		 */
		void reconcile() {
			apply(this.cache.revision());
		}

		/**
		 * Synchronized so that of a change and a reconciliation the later one reads the
		 * cache last: the properties end as the cache is.
		 */
		private synchronized void apply(long revision) {
			Map<String, byte[]> keys = new LinkedHashMap<>();
			for (KeyValue kv : this.cache.asMap().values()) {
				keys.put(kv.key(), kv.value());
			}
			Set<String> changed = this.source.update(keys, Math.max(revision, this.source.getRevision()));
			if (!changed.isEmpty()) {
				logger.info("Configuration from etcd changed: " + changed);
				publish(this.source, changed);
			}
		}

	}

}
