package org.etcdspring.leader;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method only while this instance leads the role: otherwise the call
 * is skipped (it returns {@code null}, {@code Optional.empty()}, or nothing for
 * {@code void}) or, with {@link NotLeader#THROW}, fails with an
 * {@link EtcdNotLeaderException}. The instance campaigns for every role found on its
 * beans from start-up on, all roles on one session lease.
 *
 * <pre class="code">
 * &#64;Scheduled(fixedDelay = 10_000)
 * &#64;EtcdLeader("billing")
 * void bill() { ... }
 * </pre>
 *
 * A method that returns a primitive cannot be skipped: give it {@link NotLeader#THROW}.
 *
 * @author etcd-spring
 * @since 0.1.0
 * @see EtcdLeaderRoles
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EtcdLeader {

	/**
	 * The role; must not contain {@code '/'}.
	 * @return the role
	 */
	String value();

	/**
	 * What a call does while another instance leads.
	 * @return {@link NotLeader#SKIP} by default
	 */
	NotLeader onNotLeader() default NotLeader.SKIP;

	/**
	 * What a call does while another instance leads.
	 */
	enum NotLeader {

		/**
		 * The method does not run: the call returns {@code null},
		 * {@code Optional.empty()} or nothing.
		 */
		SKIP,

		/**
		 * The method does not run: the call throws {@link EtcdNotLeaderException}.
		 */
		THROW

	}

}
