package org.etcdspring.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopConfigException;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;

/**
 * Applies an advice to the methods carrying an annotation, in every bean that has such
 * methods, as {@code MethodValidationPostProcessor} applies {@code @Validated}: with or
 * without an auto-proxy creator. The advice goes in front of the advice the bean already
 * has. A bean whose annotated methods cannot be advised (a final class) fails at
 * start-up, naming the bean: an annotation that silently does nothing would be worse.
 *
 * @param <A> the annotation
 * @author etcd-spring
 * @since 0.1.0
 */
public abstract class AnnotationAdvisingPostProcessor<A extends Annotation>
		extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private final Class<A> annotationType;

	private final String consequence;

	private final Set<Class<?>> classesWithoutAnnotations = ConcurrentHashMap.newKeySet();

	/**
	 * Create the post-processor.
	 * @param annotationType the annotation of the advised methods
	 * @param advice the advice
	 * @param order the order of this post-processor among the others
	 * @param consequence what a method of a bean that cannot be advised fails to do, as
	 * its start-up error says it ("cannot run under their lock")
	 */
	protected AnnotationAdvisingPostProcessor(Class<A> annotationType, Advice advice, int order, String consequence) {
		Assert.notNull(annotationType, "'annotationType' must not be null");
		Assert.notNull(advice, "'advice' must not be null");
		Assert.hasText(consequence, "'consequence' must not be empty");
		this.annotationType = annotationType;
		this.consequence = consequence;
		this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, annotationType, true), advice);
		setBeforeExistingAdvisors(true);
		setProxyTargetClass(true);
		setOrder(order);
	}

	@Override
	public final Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (this.classesWithoutAnnotations.contains(targetClass)) {
			return bean;
		}
		Map<Method, A> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<A>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						this.annotationType));
		if (annotated.isEmpty()) {
			this.classesWithoutAnnotations.add(targetClass);
			return bean;
		}
		checkAnnotatedMethods(annotated, beanName);
		Object advised;
		try {
			advised = super.postProcessAfterInitialization(bean, beanName);
		}
		catch (AopConfigException ex) {
			throw new IllegalStateException(cannotAdvise(beanName, targetClass, ex.getMessage()), ex);
		}
		Assert.state(advised instanceof Advised proxy && Arrays.asList(proxy.getAdvisors()).contains(this.advisor),
				() -> cannotAdvise(beanName, targetClass, "it cannot be proxied"));
		advisedAnnotatedMethods(annotated);
		return advised;
	}

	/**
	 * Check the annotated methods of a bean before it is advised; fail to refuse them.
	 * Does nothing by default.
	 * @param annotated the annotated methods and their annotations
	 * @param beanName the name of the bean
	 */
	protected void checkAnnotatedMethods(Map<Method, A> annotated, String beanName) {
	}

	/**
	 * Called once the annotated methods of a bean are advised. Does nothing by default.
	 * @param annotated the annotated methods and their annotations
	 */
	protected void advisedAnnotatedMethods(Map<Method, A> annotated) {
	}

	private String cannotAdvise(String beanName, Class<?> targetClass, @Nullable String reason) {
		String annotation = "@" + this.annotationType.getSimpleName();
		return "The " + annotation + " methods of bean '" + beanName + "' (" + targetClass.getName() + ") "
				+ this.consequence + ": " + reason + ". Make the class and its " + annotation
				+ " methods non-final and non-private";
	}

}
