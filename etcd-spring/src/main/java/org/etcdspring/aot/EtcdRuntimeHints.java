package org.etcdspring.aot;

import org.jspecify.annotations.Nullable;

import org.etcdspring.leader.EtcdLeader;
import org.etcdspring.lock.EtcdLock;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * Reflection hints for what the library, outside its transport, finds or calls by
 * reflection: the root object of {@code @EtcdLock} key expressions, whose properties
 * ({@code #root.method}, {@code #root.args}, ...) SpEL reads through their getters, and
 * the {@code @EtcdLock} and {@code @EtcdLeader} annotations, whose attributes Spring
 * reads through their methods (Spring's runtime hints agent saw it list them).
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * The root object of {@code @EtcdLock} key expressions (package-private, so named).
	 */
	static final TypeReference LOCK_KEY_ROOT = TypeReference.of("org.etcdspring.lock.LockedMethod$KeyRoot");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection().registerType(LOCK_KEY_ROOT, MemberCategory.INVOKE_PUBLIC_METHODS);
		hints.reflection().registerType(EtcdLock.class).registerType(EtcdLeader.class);
	}

}
