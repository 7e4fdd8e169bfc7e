package org.etcdspring.boot.aot;

import org.jspecify.annotations.Nullable;

import org.etcdspring.boot.autoconfigure.EtcdProperties;
import org.etcdspring.boot.config.EtcdConfigDataLoader;
import org.etcdspring.boot.config.EtcdConfigDataLocationResolver;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.boot.autoconfigure.ssl.SslProperties;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * Runtime hints for {@code spring.config.import=etcd:}, which runs before any bean
 * exists: Boot creates the location resolver and loader from {@code spring.factories} by
 * reflection, and the resolver binds {@code etcd.*} and {@code spring.ssl.*} with a
 * {@code Binder}, which reads the properties classes by reflection. With Spring Cloud
 * Context on the class path, a reload also creates its {@code EnvironmentChangeEvent} by
 * reflection.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdConfigRuntimeHints implements RuntimeHintsRegistrar {

	static final String ENVIRONMENT_CHANGE_EVENT = "org.springframework.cloud.context.environment.EnvironmentChangeEvent";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerTypes(TypeReference.listOf(EtcdConfigDataLocationResolver.class, EtcdConfigDataLoader.class),
					(type) -> type.withMembers(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS));
		BindableRuntimeHintsRegistrar.forTypes(EtcdProperties.class, SslProperties.class).registerHints(hints);
		hints.reflection()
			.registerTypeIfPresent(classLoader, ENVIRONMENT_CHANGE_EVENT, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
	}

}
