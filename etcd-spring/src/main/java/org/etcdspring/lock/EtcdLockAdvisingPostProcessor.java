package org.etcdspring.lock;

import java.util.function.Supplier;

import org.etcdspring.aop.AnnotationAdvisingPostProcessor;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/**
 * Applies {@link EtcdLock @EtcdLock} to every bean that has such methods, as
 * {@code MethodValidationPostProcessor} applies {@code @Validated}: with or without an
 * auto-proxy creator. The lock's advice goes in front of the advice the bean already has
 * (such as {@code @Transactional}'s, so that a transaction commits before its lock is
 * released) and behind {@code @EtcdLeader}'s. Fails at start-up, naming the bean, when
 * the bean cannot be proxied (a final class) or its proxy cannot intercept an annotated
 * method (a final, private or static one).
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLockAdvisingPostProcessor extends AnnotationAdvisingPostProcessor<EtcdLock> {

	/**
	 * The order of this post-processor: before {@code EtcdLeaderAdvisingPostProcessor},
	 * and before {@code @Scheduled} methods are registered, so that they run through the
	 * proxy.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private final EtcdLockInterceptor interceptor;

	/**
	 * Create the post-processor.
	 * @param locks supplies the locks, on first use (so that this post-processor need not
	 * create the etcd client early)
	 */
	public EtcdLockAdvisingPostProcessor(Supplier<EtcdLocks> locks) {
		this(new EtcdLockInterceptor(checked(locks)));
	}

	private EtcdLockAdvisingPostProcessor(EtcdLockInterceptor interceptor) {
		super(EtcdLock.class, interceptor, ORDER, "cannot run under their lock");
		this.interceptor = interceptor;
	}

	private static Supplier<EtcdLocks> checked(Supplier<EtcdLocks> locks) {
		Assert.notNull(locks, "'locks' must not be null");
		return locks;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		this.interceptor.setBeanFactory(beanFactory);
	}

}
