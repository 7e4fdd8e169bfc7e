package org.etcdspring.boot.aot;

import org.jspecify.annotations.Nullable;

import org.etcdspring.boot.actuate.EtcdEndpoint;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Runtime hints for the answer of {@code /actuator/etcd}: Jackson writes the
 * {@link EtcdEndpoint.EtcdDescriptor} record and every record it holds (members, held
 * locks, watches) through their accessors.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdEndpointRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(),
				EtcdEndpoint.EtcdDescriptor.class);
	}

}
