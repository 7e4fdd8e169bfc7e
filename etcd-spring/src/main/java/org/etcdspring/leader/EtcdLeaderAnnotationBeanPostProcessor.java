package org.etcdspring.leader;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * Finds the {@link EtcdLeader @EtcdLeader} methods of every bean and has
 * {@link EtcdLeaderRoles} campaign for their roles. Rejects, when the bean is created,
 * an annotation that could only fail later: a role with {@code '/'}, or a method that
 * returns a primitive and is to be skipped.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLeaderAnnotationBeanPostProcessor implements BeanPostProcessor {

	private final Supplier<EtcdLeaderRoles> roles;

	private final Set<Class<?>> classesWithoutAnnotations = ConcurrentHashMap.newKeySet();

	/**
	 * Create the post-processor.
	 * @param roles supplies the campaigns, when the first annotated bean is found (so that
	 * this post-processor need not create them early)
	 */
	public EtcdLeaderAnnotationBeanPostProcessor(Supplier<EtcdLeaderRoles> roles) {
		Assert.notNull(roles, "'roles' must not be null");
		this.roles = SingletonSupplier.of(roles);
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
			Assert.state(leader.onNotLeader() == EtcdLeader.NotLeader.THROW || !method.getReturnType().isPrimitive()
					|| method.getReturnType() == void.class,
					() -> "@EtcdLeader method " + method + " of bean '" + beanName + "' returns "
							+ method.getReturnType() + ", which a skipped call cannot: use onNotLeader = THROW, "
							+ "or return void, a wrapper or an Optional");
			this.roles.get().addRole(leader.value());
		});
		return bean;
	}

}
