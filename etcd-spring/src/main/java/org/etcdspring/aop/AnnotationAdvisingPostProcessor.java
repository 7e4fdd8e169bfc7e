package org.etcdspring.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopConfigException;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Applies an advice to the methods carrying an annotation, in every bean that has such
 * methods, as {@code MethodValidationPostProcessor} applies {@code @Validated}: with or
 * without an auto-proxy creator. The advice goes in front of the advice the bean already
 * has. A bean whose annotated methods cannot be advised fails at start-up, naming the
 * bean and the methods: a final class, or an annotated method that its proxy cannot
 * intercept (final, private or static, or missing from the interfaces of a JDK proxy). An
 * annotation that silently does nothing would be worse.
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
		List<String> notIntercepted = notIntercepted(annotated.keySet(), advised.getClass(), targetClass);
		Assert.state(notIntercepted.isEmpty(), () -> cannotAdvise(beanName, targetClass,
				"its proxy cannot intercept " + String.join(", ", notIntercepted)));
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

	/**
	 * The annotated methods that calls through the proxy do not reach the advice of: a
	 * proxy intercepts exactly the methods its class declares (a class-based proxy
	 * overrides every method it can; a JDK proxy implements its interfaces).
	 */
	private static List<String> notIntercepted(Set<Method> annotated, Class<?> proxyClass, Class<?> targetClass) {
		Set<MethodSignature> intercepted = new HashSet<>();
		for (Method method : proxyClass.getDeclaredMethods()) {
			intercepted.add(new MethodSignature(method));
			if (Proxy.isProxyClass(proxyClass)) {
				// An interface method may reach a method of the target with other
				// parameter types, through a bridge (a generic interface).
				Method invoked = ClassUtils.getMostSpecificMethod(method, targetClass);
				intercepted.add(new MethodSignature(BridgeMethodResolver.findBridgedMethod(invoked)));
			}
		}
		List<String> notIntercepted = new ArrayList<>();
		for (Method method : annotated) {
			if (!intercepted.contains(new MethodSignature(method))) {
				notIntercepted.add(describe(method) + " (" + whyNotIntercepted(method, proxyClass) + ")");
			}
		}
		Collections.sort(notIntercepted);
		return notIntercepted;
	}

	private static String whyNotIntercepted(Method method, Class<?> proxyClass) {
		int modifiers = method.getModifiers();
		if (Modifier.isStatic(modifiers)) {
			return "static: it is never called through a proxy";
		}
		if (Modifier.isPrivate(modifiers)) {
			return "private";
		}
		if (Modifier.isFinal(modifiers)) {
			return "final";
		}
		if (Proxy.isProxyClass(proxyClass)) {
			return "not declared by an interface of the bean's JDK proxy";
		}
		return "not visible to the proxy class";
	}

	private static String describe(Method method) {
		StringJoiner parameters = new StringJoiner(", ", "(", ")");
		for (Class<?> type : method.getParameterTypes()) {
			parameters.add(type.getSimpleName());
		}
		return "method " + method.getDeclaringClass().getName() + "." + method.getName() + parameters;
	}

	private String cannotAdvise(String beanName, Class<?> targetClass, @Nullable String reason) {
		String annotation = "@" + this.annotationType.getSimpleName();
		return "The " + annotation + " methods of bean '" + beanName + "' (" + targetClass.getName() + ") "
				+ this.consequence + ": " + reason + ". Make the class and its " + annotation
				+ " methods non-final, non-private and non-static";
	}

	private record MethodSignature(String name, List<Class<?>> parameterTypes) {

		MethodSignature(Method method) {
			this(method.getName(), List.of(method.getParameterTypes()));
		}

	}

}
