package org.etcdspring.leader;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs {@link EtcdLeader @EtcdLeader} methods only while this instance leads their role
 * (and is not stopping); otherwise skips them or throws, as each annotation says. Counts
 * the invocations running, so that stopping waits for them before resigning. Applied by
 * an {@link EtcdLeaderAdvisingPostProcessor}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLeaderInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(EtcdLeaderInterceptor.class);

	private final Supplier<EtcdLeaderRoles> roles;

	private final Map<Method, Optional<EtcdLeader>> annotations = new ConcurrentHashMap<>();

	/**
	 * Create the interceptor.
	 * @param roles supplies the campaigns to ask, when the first call comes (so that the
	 * advisor need not create them early)
	 */
	public EtcdLeaderInterceptor(Supplier<EtcdLeaderRoles> roles) {
		Assert.notNull(roles, "'roles' must not be null");
		this.roles = SingletonSupplier.of(roles);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		EtcdLeader leader = findAnnotation(invocation).orElse(null);
		if (leader == null) {
			return invocation.proceed();
		}
		EtcdLeaderRoles roles = this.roles.get();
		if (roles.enter(leader.value())) {
			// Counted while it runs: stopping waits for it before resigning the role.
			try {
				return invocation.proceed();
			}
			finally {
				roles.exit();
			}
		}
		Method method = invocation.getMethod();
		if (leader.onNotLeader() == EtcdLeader.NotLeader.THROW) {
			throw new EtcdNotLeaderException(leader.value(),
					"This instance does not lead role '" + leader.value() + "', so "
							+ method.getDeclaringClass().getSimpleName() + "." + method.getName() + " did not run",
					null);
		}
		if (logger.isTraceEnabled()) {
			logger.trace("Skipped " + method + ": this instance does not lead role '" + leader.value() + "'");
		}
		return (method.getReturnType() == Optional.class) ? Optional.empty() : null;
	}

	private Optional<EtcdLeader> findAnnotation(MethodInvocation invocation) {
		Object target = invocation.getThis();
		Method method = (target != null)
				? AopUtils.getMostSpecificMethod(invocation.getMethod(), AopUtils.getTargetClass(target))
				: invocation.getMethod();
		return this.annotations.computeIfAbsent(method,
				(key) -> Optional.ofNullable(AnnotatedElementUtils.findMergedAnnotation(key, EtcdLeader.class)));
	}

}
