package org.etcdspring.leader;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.Supplier;

import org.etcdspring.aop.AnnotationAdvisingPostProcessor;

import org.springframework.core.Ordered;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * Applies {@link EtcdLeader @EtcdLeader} to every bean that has such methods, as
 * {@code MethodValidationPostProcessor} applies {@code @Validated}: with or without an
 * auto-proxy creator ({@code spring.aop.auto=false}). The leadership gate goes in front
 * of every other advice of the bean, {@code @EtcdLock}'s included, so a lock is never
 * taken by an instance that does not lead. Has {@link EtcdLeaderRoles} campaign for every
 * role found, and fails at start-up, naming the bean, when a method cannot be gated: a
 * bean that cannot be proxied (a final class), a method that its proxy cannot intercept
 * (final, private or static), a role with {@code '/'}, or a skipped method that returns a
 * primitive. Calls from a bean to itself bypass any proxy: call {@code @EtcdLeader}
 * methods from another bean (a scheduler, say).
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLeaderAdvisingPostProcessor extends AnnotationAdvisingPostProcessor<EtcdLeader> {

	/**
	 * The order of this post-processor: after {@code EtcdLockAdvisingPostProcessor}, so
	 * that its advice goes in front of the lock's, and before {@code @Scheduled} methods
	 * are registered, so that they run through the proxy.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	private final Supplier<EtcdLeaderRoles> roles;

	/**
	 * Create the post-processor.
	 * @param roles supplies the campaigns, when the first annotated bean is found (so
	 * that this post-processor need not create them early)
	 */
	public EtcdLeaderAdvisingPostProcessor(Supplier<EtcdLeaderRoles> roles) {
		this(SingletonSupplier.of(checked(roles)));
	}

	private EtcdLeaderAdvisingPostProcessor(SingletonSupplier<EtcdLeaderRoles> roles) {
		super(EtcdLeader.class, new EtcdLeaderInterceptor(roles), ORDER, "cannot be gated on leadership");
		this.roles = roles;
	}

	private static Supplier<EtcdLeaderRoles> checked(Supplier<EtcdLeaderRoles> roles) {
		Assert.notNull(roles, "'roles' must not be null");
		return roles;
	}

	@Override
	protected void checkAnnotatedMethods(Map<Method, EtcdLeader> annotated, String beanName) {
		annotated.forEach((method, leader) -> {
			Election.checkRole(leader.value());
			Assert.state(
					leader.onNotLeader() == EtcdLeader.NotLeader.THROW || !method.getReturnType().isPrimitive()
							|| method.getReturnType() == void.class,
					() -> "@EtcdLeader method " + method + " of bean '" + beanName + "' returns "
							+ method.getReturnType() + ", which a skipped call cannot: use onNotLeader = THROW, "
							+ "or return void, a wrapper or an Optional");
		});
	}

	@Override
	protected void advisedAnnotatedMethods(Map<Method, EtcdLeader> annotated) {
		annotated.values().forEach((leader) -> this.roles.get().addRole(leader.value()));
	}

}
