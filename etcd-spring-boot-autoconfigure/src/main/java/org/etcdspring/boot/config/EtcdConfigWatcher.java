package org.etcdspring.boot.config;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdOperations;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchListener;
import org.etcdspring.watch.WatchRequest;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * Keeps the properties imported from etcd up to date: one watch per imported prefix,
 * resuming from the revision that was loaded, updates the {@link EtcdPropertySource} in
 * place and publishes an {@link EtcdConfigChangedEvent}. When Spring Cloud Context is on
 * the class path it also publishes its {@code EnvironmentChangeEvent}, which rebinds
 * {@code @ConfigurationProperties} beans.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdConfigWatcher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(EtcdConfigWatcher.class);

	private static final String ENVIRONMENT_CHANGE_EVENT = "org.springframework.cloud.context.environment.EnvironmentChangeEvent";

	private final EtcdOperations etcd;

	private final ConfigurableEnvironment environment;

	private final ApplicationEventPublisher publisher;

	private final List<Subscription> subscriptions = new ArrayList<>();

	private volatile boolean running;

	public EtcdConfigWatcher(EtcdOperations etcd, ConfigurableEnvironment environment,
			ApplicationEventPublisher publisher) {
		this.etcd = etcd;
		this.environment = environment;
		this.publisher = publisher;
	}

	@Override
	public synchronized void start() {
		for (PropertySource<?> source : this.environment.getPropertySources()) {
			if (source instanceof EtcdPropertySource etcdSource) {
				this.subscriptions.add(this.etcd.watch(
						WatchRequest.prefix(etcdSource.getPrefix()).fromRevision(etcdSource.getRevision() + 1),
						new Reloader(etcdSource)));
			}
		}
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		this.subscriptions.forEach(Subscription::close);
		this.subscriptions.clear();
		this.running = false;
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

	private final class Reloader implements WatchListener {

		private final EtcdPropertySource source;

		Reloader(EtcdPropertySource source) {
			this.source = source;
		}

		@Override
		public void onEvent(WatchEvent event) {
			Map<String, byte[]> keys = new HashMap<>(this.source.getKeys());
			if (event.type() == WatchEvent.Type.PUT) {
				keys.put(event.key(), event.kv().value());
			}
			else {
				keys.remove(event.key());
			}
			Set<String> changed = this.source.update(keys, event.revision());
			if (!changed.isEmpty()) {
				logger.info("Configuration from etcd changed: " + changed);
				publish(this.source, changed);
			}
		}

		@Override
		public void onError(EtcdException error) {
			logger.error("Live reload of etcd configuration under '" + this.source.getPrefix() + "' stopped: "
					+ error.getMessage());
		}

	}

}
