package org.etcdspring.lock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Run a method only while holding a distributed lock: the lock is taken before the call
 * and given back after it, by {@link EtcdLockInterceptor} in a proxy (no AspectJ
 * weaving). Works on any proxied bean, {@code @Scheduled} methods included, with or
 * without Spring Integration.
 *
 * <pre class="code">
 * &#64;EtcdLock(key = "'order-' + #id", waitTime = "5s")
 * void ship(long id) { ... }
 *
 * &#64;Scheduled(cron = "0 0 * * * *")
 * &#64;EtcdLock(holdAtLeast = "30s", onNotAcquired = OnNotAcquired.SKIP)
 * void hourlyReport() { ... }   // one node of the cluster runs it each hour
 * </pre>
 *
 * <p>
 * Durations are written like {@code "5s"}, {@code "500ms"} or {@code "PT5S"}, and may be
 * property placeholders such as {@code "${jobs.lock-wait:5s}"}. The lock is the one
 * {@link org.etcdspring.EtcdOperations#lock(String)} returns for the key, so the method
 * can fence its writes with {@code etcd.txn().ifHeld(etcd.lock(key))}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EtcdLock {

	/**
	 * The lock name, as a SpEL expression over the method's arguments ({@code #name},
	 * {@code #p0}), beans ({@code @name}) and the root object's {@code method},
	 * {@code args}, {@code target} and {@code targetClass}; its value must not contain
	 * {@code /}. Empty (the default) for the method's qualified name, such as
	 * {@code com.example.Billing.bill}.
	 * @return the lock name expression
	 */
	String key() default "";

	/**
	 * How long to wait for the lock. {@code "0"} (the default) tries once.
	 * @return the wait time
	 */
	String waitTime() default "0";

	/**
	 * The time to live of the hold's lease: how long the lock outlives this process if it
	 * dies while running the method. Empty (the default) for the locks' session TTL
	 * ({@code etcd.lock.ttl}).
	 * @return the time to live
	 */
	String ttl() default "";

	/**
	 * Keep the lock at least this long after it was taken, even when the method returns
	 * sooner: the lock key stays on a lease of the remaining time (rounded up to whole
	 * seconds) that is not renewed. Guards scheduled jobs against running twice when the
	 * clocks of the nodes differ slightly. When etcd does not answer at the release, the
	 * key is moved (or, once the time is over, deleted) in the background, so this is
	 * best effort then. {@code "0"} (the default) releases the lock at once.
	 * @return the minimum hold time
	 */
	String holdAtLeast() default "0";

	/**
	 * What happens when the lock is not taken in time.
	 * @return the action
	 */
	OnNotAcquired onNotAcquired() default OnNotAcquired.THROW;

	/**
	 * Whether to interrupt the thread running the method when the lock is lost while the
	 * method runs (its lease expired, its key was deleted). A lost lock is logged,
	 * announced and counted either way.
	 * @return whether to interrupt on loss
	 */
	boolean interruptOnLoss() default false;

	/**
	 * What a call does when the lock is not taken in time.
	 */
	enum OnNotAcquired {

		/**
		 * Throw {@link EtcdLockNotAcquiredException}.
		 */
		THROW,

		/**
		 * Skip the method: return {@code null}, or {@code Optional.empty()} for a method
		 * returning {@code Optional}; a method returning another primitive than
		 * {@code void} cannot be skipped.
		 */
		SKIP

	}

}
