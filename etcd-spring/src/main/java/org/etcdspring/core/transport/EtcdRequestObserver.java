package org.etcdspring.core.transport;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Observes each etcd call of a transport (retries and failover included), for metrics and
 * tracing.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public interface EtcdRequestObserver {

	/**
	 * An observer that only runs the call.
	 */
	EtcdRequestObserver NONE = new EtcdRequestObserver() {

		@Override
		public <R> R observe(String operation, @Nullable String key, Supplier<R> call) {
			return call.get();
		}

	};

	/**
	 * Run a call under observation.
	 * @param operation the operation, such as {@code put}
	 * @param key the decoded key, or {@code null}
	 * @param call the call
	 * @param <R> the result type
	 * @return the call's result
	 */
	<R> R observe(String operation, @Nullable String key, Supplier<R> call);

}
