package org.etcdspring.aot;

import java.lang.reflect.Method;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.etcdspring.leader.EtcdLeader;
import org.etcdspring.lock.EtcdLock;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Reflection hints for the beans whose methods carry {@link EtcdLock @EtcdLock} or
 * {@link EtcdLeader @EtcdLeader}. At run time their methods are found by reflection (the
 * {@code @EtcdLeader} post-processor lists a bean's declared methods, the advisors read
 * the annotations of the called method) and called through a proxy; an {@code @EtcdLock}
 * key expression reads the method's parameter names and, through SpEL, the properties of
 * its arguments.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdAnnotatedMethodsAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanType().toClass());
		Map<Method, Boolean> annotated = MethodIntrospector.selectMethods(beanClass,
				(MethodIntrospector.MetadataLookup<Boolean>) (method) -> isAnnotated(method) ? Boolean.TRUE : null);
		if (annotated.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> registerHints(generationContext.getRuntimeHints().reflection(), beanClass,
				annotated.keySet());
	}

	private static boolean isAnnotated(Method method) {
		return AnnotatedElementUtils.hasAnnotation(method, EtcdLock.class)
				|| AnnotatedElementUtils.hasAnnotation(method, EtcdLeader.class);
	}

	static void registerHints(ReflectionHints hints, Class<?> beanClass, Iterable<Method> methods) {
		BindingReflectionHintsRegistrar argumentHints = new BindingReflectionHintsRegistrar();
		// A type registered for reflection can be introspected (its declared methods
		// listed, its annotations read): since Spring Framework 7 no member category
		// says so
		hints.registerType(beanClass);
		for (Method method : methods) {
			hints.registerType(method.getDeclaringClass());
			hints.registerMethod(method, ExecutableMode.INVOKE);
			EtcdLock lock = AnnotatedElementUtils.findMergedAnnotation(method, EtcdLock.class);
			if (lock != null && StringUtils.hasText(lock.key())) {
				for (Class<?> parameterType : method.getParameterTypes()) {
					if (!parameterType.isPrimitive() && !parameterType.getName().startsWith("java.")) {
						argumentHints.registerReflectionHints(hints, parameterType);
					}
				}
			}
		}
	}

}
