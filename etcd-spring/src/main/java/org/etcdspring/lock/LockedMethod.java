package org.etcdspring.lock;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

/**
 * An {@link EtcdLock @EtcdLock} method with its annotation read once: the lock name
 * expression, the durations and what to do when the lock is not taken.
 *
 * @author etcd-spring
 */
final class LockedMethod {

	private static final SpelExpressionParser parser = new SpelExpressionParser();

	private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final Method method;

	private final @Nullable Expression key;

	private final Duration waitTime;

	private final @Nullable Duration ttl;

	private final Duration holdAtLeast;

	private final EtcdLock.OnNotAcquired onNotAcquired;

	private final boolean interruptOnLoss;

	/**
	 * Read the annotation of a method.
	 * @param method the most specific method (of the target class)
	 * @param annotation its annotation
	 * @param resolver resolves property placeholders in durations, if any
	 * @throws IllegalStateException when the annotation is invalid for the method
	 */
	LockedMethod(Method method, EtcdLock annotation, @Nullable StringValueResolver resolver) {
		this.method = method;
		this.key = StringUtils.hasText(annotation.key()) ? parseKey(annotation.key()) : null;
		this.waitTime = duration("waitTime", annotation.waitTime(), resolver);
		this.ttl = StringUtils.hasText(annotation.ttl()) ? duration("ttl", annotation.ttl(), resolver) : null;
		this.holdAtLeast = duration("holdAtLeast", annotation.holdAtLeast(), resolver);
		this.onNotAcquired = annotation.onNotAcquired();
		this.interruptOnLoss = annotation.interruptOnLoss();
		check(this.ttl == null || this.ttl.compareTo(Duration.ofSeconds(1)) >= 0,
				"ttl must be at least one second (etcd leases count whole seconds)");
		Class<?> returnType = method.getReturnType();
		check(this.onNotAcquired != EtcdLock.OnNotAcquired.SKIP || !returnType.isPrimitive()
				|| returnType == void.class, "onNotAcquired = SKIP cannot skip a method that returns " + returnType);
	}

	private Expression parseKey(String expression) {
		try {
			return parser.parseExpression(expression);
		}
		catch (ExpressionException ex) {
			throw new IllegalStateException(describe() + " has an invalid key expression: " + ex.getMessage(), ex);
		}
	}

	private Duration duration(String attribute, String value, @Nullable StringValueResolver resolver) {
		String resolved = (resolver != null) ? resolver.resolveStringValue(value) : value;
		try {
			Duration duration = DurationFormatterUtils.detectAndParse(String.valueOf(resolved).trim());
			check(!duration.isNegative(), attribute + " must not be negative");
			return duration;
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(describe() + " has an invalid " + attribute + " '" + value
					+ "': write durations like '5s', '500ms' or 'PT5S'", ex);
		}
	}

	private void check(boolean condition, String problem) {
		if (!condition) {
			throw new IllegalStateException(describe() + ": " + problem);
		}
	}

	/**
	 * The lock name for one call.
	 * @param args the call's arguments
	 * @param target the target object
	 * @param beanFactory resolves {@code @bean} references, if any
	 * @return the lock name
	 * @throws IllegalArgumentException when the key evaluates to nothing or to a name
	 * with {@code /}
	 */
	String lockName(@Nullable Object[] args, @Nullable Object target, @Nullable BeanFactory beanFactory) {
		if (this.key == null) {
			return ClassUtils.getQualifiedMethodName(this.method);
		}
		KeyRoot root = new KeyRoot(this.method, args, target);
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(root, this.method, args,
				parameterNames);
		if (beanFactory != null) {
			context.setBeanResolver(new BeanFactoryResolver(beanFactory));
		}
		Object name = this.key.getValue(context);
		if (name == null || name.toString().isEmpty()) {
			throw new IllegalArgumentException(
					describe() + ": key '" + this.key.getExpressionString() + "' evaluated to an empty lock name");
		}
		EtcdLocks.checkName(name.toString());
		return name.toString();
	}

	/**
	 * The result of a call skipped because its lock was not taken.
	 * @return {@code Optional.empty()} for a method that returns {@code Optional}, else
	 * {@code null}
	 */
	@Nullable Object skippedResult() {
		return (this.method.getReturnType() == Optional.class) ? Optional.empty() : null;
	}

	Duration waitTime() {
		return this.waitTime;
	}

	@Nullable Duration ttl() {
		return this.ttl;
	}

	Duration holdAtLeast() {
		return this.holdAtLeast;
	}

	EtcdLock.OnNotAcquired onNotAcquired() {
		return this.onNotAcquired;
	}

	boolean interruptOnLoss() {
		return this.interruptOnLoss;
	}

	String describe() {
		return "@EtcdLock method " + ClassUtils.getQualifiedMethodName(this.method);
	}

	/**
	 * The root object of key expressions.
	 */
	static final class KeyRoot {

		private final Method method;

		private final @Nullable Object[] args;

		private final @Nullable Object target;

		KeyRoot(Method method, @Nullable Object[] args, @Nullable Object target) {
			this.method = method;
			this.args = args;
			this.target = target;
		}

		public Method getMethod() {
			return this.method;
		}

		public @Nullable Object[] getArgs() {
			return this.args;
		}

		public @Nullable Object getTarget() {
			return this.target;
		}

		public Class<?> getTargetClass() {
			return (this.target != null) ? ClassUtils.getUserClass(this.target) : this.method.getDeclaringClass();
		}

	}

}
