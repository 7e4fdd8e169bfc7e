package org.etcdspring.lock;

import java.util.Arrays;
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
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;

/**
 * Applies {@link EtcdLock @EtcdLock} to every bean that has such methods, as
 * {@code MethodValidationPostProcessor} applies {@code @Validated}: with or without an
 * auto-proxy creator. The lock's advice goes in front of the advice the bean already
 * has (such as {@code @Transactional}'s, so that a transaction commits before its lock is
 * released) and behind {@code @EtcdLeader}'s. Fails at start-up, naming the bean, when
 * the bean cannot be proxied (a final class).
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLockAdvisingPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	/**
	 * The order of this post-processor: before {@code EtcdLeaderAdvisingPostProcessor},
	 * and before {@code @Scheduled} methods are registered, so that they run through the
	 * proxy.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private final EtcdLockInterceptor interceptor;

	private final Set<Class<?>> classesWithoutAnnotations = ConcurrentHashMap.newKeySet();

	/**
	 * Create the post-processor.
	 * @param locks supplies the locks, on first use (so that this post-processor need not
	 * create the etcd client early)
	 */
	public EtcdLockAdvisingPostProcessor(Supplier<EtcdLocks> locks) {
		Assert.notNull(locks, "'locks' must not be null");
		this.interceptor = new EtcdLockInterceptor(locks);
		this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, EtcdLock.class, true),
				this.interceptor);
		setBeforeExistingAdvisors(true);
		setProxyTargetClass(true);
		setOrder(ORDER);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		this.interceptor.setBeanFactory(beanFactory);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (this.classesWithoutAnnotations.contains(targetClass)) {
			return bean;
		}
		if (MethodIntrospector
			.selectMethods(targetClass,
					(MethodIntrospector.MetadataLookup<EtcdLock>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, EtcdLock.class))
			.isEmpty()) {
			this.classesWithoutAnnotations.add(targetClass);
			return bean;
		}
		Object advised;
		try {
			advised = super.postProcessAfterInitialization(bean, beanName);
		}
		catch (AopConfigException ex) {
			throw new IllegalStateException(cannotAdvise(beanName, targetClass, ex.getMessage()), ex);
		}
		Assert.state(advised instanceof Advised proxy && Arrays.asList(proxy.getAdvisors()).contains(this.advisor),
				() -> cannotAdvise(beanName, targetClass, "it cannot be proxied"));
		return advised;
	}

	private static String cannotAdvise(String beanName, Class<?> targetClass, @Nullable String reason) {
		return "The @EtcdLock methods of bean '" + beanName + "' (" + targetClass.getName()
				+ ") cannot run under their lock: " + reason
				+ ". Make the class and its @EtcdLock methods non-final and non-private";
	}

}
