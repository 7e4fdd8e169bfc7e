package org.etcdspring.leader;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopConfigException;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * Applies {@link EtcdLeader @EtcdLeader} to every bean that has such methods, as
 * {@code MethodValidationPostProcessor} applies {@code @Validated}: with or without an
 * auto-proxy creator ({@code spring.aop.auto=false}). The leadership gate goes in front
 * of every other advice of the bean, {@code @EtcdLock}'s included, so a lock is never
 * taken by an instance that does not lead. Has {@link EtcdLeaderRoles} campaign for every
 * role found, and fails at start-up, naming the bean, when a method cannot be gated: a
 * bean that cannot be proxied (a final class), a role with {@code '/'}, or a skipped
 * method that returns a primitive. Calls from a bean to itself bypass any proxy: call
 * {@code @EtcdLeader} methods from another bean (a scheduler, say).
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLeaderAdvisingPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	/**
	 * The order of this post-processor: after {@code EtcdLockAdvisingPostProcessor}, so
	 * that its advice goes in front of the lock's, and before {@code @Scheduled} methods
	 * are registered, so that they run through the proxy.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	private final Supplier<EtcdLeaderRoles> roles;

	private final Set<Class<?>> classesWithoutAnnotations = ConcurrentHashMap.newKeySet();

	/**
	 * Create the post-processor.
	 * @param roles supplies the campaigns, when the first annotated bean is found (so that
	 * this post-processor need not create them early)
	 */
	public EtcdLeaderAdvisingPostProcessor(Supplier<EtcdLeaderRoles> roles) {
		Assert.notNull(roles, "'roles' must not be null");
		this.roles = SingletonSupplier.of(roles);
		this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, EtcdLeader.class, true),
				new EtcdLeaderInterceptor(this.roles));
		setBeforeExistingAdvisors(true);
		setProxyTargetClass(true);
		setOrder(ORDER);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (this.classesWithoutAnnotations.contains(targetClass)) {
			return bean;
		}
		Map<Method, EtcdLeader> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<EtcdLeader>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, EtcdLeader.class));
		if (annotated.isEmpty()) {
			this.classesWithoutAnnotations.add(targetClass);
			return bean;
		}
		annotated.forEach((method, leader) -> {
			Election.checkRole(leader.value());
			Assert.state(leader.onNotLeader() == EtcdLeader.NotLeader.THROW || !method.getReturnType().isPrimitive()
					|| method.getReturnType() == void.class,
					() -> "@EtcdLeader method " + method + " of bean '" + beanName + "' returns "
							+ method.getReturnType() + ", which a skipped call cannot: use onNotLeader = THROW, "
							+ "or return void, a wrapper or an Optional");
		});
		Object advised;
		try {
			advised = super.postProcessAfterInitialization(bean, beanName);
		}
		catch (AopConfigException ex) {
			throw new IllegalStateException(cannotAdvise(beanName, targetClass, ex.getMessage()), ex);
		}
		Assert.state(advised instanceof Advised proxy && Arrays.asList(proxy.getAdvisors()).contains(this.advisor),
				() -> cannotAdvise(beanName, targetClass, "it cannot be proxied"));
		annotated.values().forEach((leader) -> this.roles.get().addRole(leader.value()));
		return advised;
	}

	private static String cannotAdvise(String beanName, Class<?> targetClass, @Nullable String reason) {
		return "The @EtcdLeader methods of bean '" + beanName + "' (" + targetClass.getName()
				+ ") cannot be gated on leadership: " + reason
				+ ". Make the class and its @EtcdLeader methods non-final and non-private";
	}

}
