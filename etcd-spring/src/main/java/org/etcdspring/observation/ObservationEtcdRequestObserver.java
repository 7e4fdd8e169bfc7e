package org.etcdspring.observation;

import java.util.function.Supplier;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.PrintableKey;
import org.etcdspring.core.transport.EtcdRequestObserver;

import org.springframework.util.Assert;

/**
 * Runs each etcd call inside a Micrometer {@link Observation} named {@value #NAME}: a
 * timer with the low-cardinality tags {@code operation}, {@code outcome} ({@code SUCCESS}
 * or {@code ERROR}) and {@code exception}, and a span (with the key, escaped and cut by
 * {@link PrintableKey}, as a high-cardinality tag) when the application has a tracer.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class ObservationEtcdRequestObserver implements EtcdRequestObserver {

	/**
	 * The name of the observation, and so of its timer.
	 */
	public static final String NAME = "etcd.client.requests";

	private final ObservationRegistry registry;

	public ObservationEtcdRequestObserver(ObservationRegistry registry) {
		Assert.notNull(registry, "'registry' must not be null");
		this.registry = registry;
	}

	@Override
	public <R> R observe(String operation, @Nullable String key, Supplier<R> call) {
		Observation observation = Observation.createNotStarted(NAME, this.registry)
			.contextualName("etcd " + operation)
			.lowCardinalityKeyValue("operation", operation);
		if (key != null) {
			observation.highCardinalityKeyValue("etcd.key", PrintableKey.of(key));
		}
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			R result = call.get();
			observation.lowCardinalityKeyValues(KeyValues.of("outcome", "SUCCESS", "exception", "none"));
			return result;
		}
		catch (RuntimeException ex) {
			observation
				.lowCardinalityKeyValues(KeyValues.of("outcome", "ERROR", "exception", ex.getClass().getSimpleName()));
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

}
