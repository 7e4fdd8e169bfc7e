package org.etcdspring.lock;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.PrintableKey;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.expression.AnnotatedElementKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs {@link EtcdLock @EtcdLock} methods under their lock. Applied to every annotated
 * bean by an {@link EtcdLockAdvisingPostProcessor}:
 *
 * <pre class="code">
 * &#64;Bean
 * static EtcdLockAdvisingPostProcessor etcdLockAdvisingPostProcessor(ObjectProvider&lt;EtcdOperations&gt; etcd) {
 *     return new EtcdLockAdvisingPostProcessor(() -&gt; etcd.getObject().locks());
 * }
 * </pre>
 *
 * <p>
 * A lock lost while its method runs is logged, announced and counted by its
 * {@link EtcdLocks}; the method's thread is interrupted when the annotation asks for it.
 * The call's own outcome stands: its result is returned (or its exception thrown), and
 * the {@link ConcurrentModificationException} of the lost lock's unlock, or any other
 * unlock failure, is logged. An unlock that etcd does not answer is logged and goes on in
 * the background, as {@link EtcdMutex#unlock()} describes. Needs no Spring Integration.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLockInterceptor implements MethodInterceptor, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(EtcdLockInterceptor.class);

	private final Supplier<EtcdLocks> locks;

	private final Map<AnnotatedElementKey, LockedMethod> methods = new ConcurrentHashMap<>();

	private @Nullable BeanFactory beanFactory;

	/**
	 * An interceptor that takes its locks from the given locks.
	 * @param locks the locks
	 */
	public EtcdLockInterceptor(EtcdLocks locks) {
		Assert.notNull(locks, "'locks' must not be null");
		this.locks = () -> locks;
	}

	/**
	 * An interceptor that looks its locks up on first use, so that an advisor created
	 * early does not create the etcd client early.
	 * @param locks supplies the locks
	 */
	public EtcdLockInterceptor(Supplier<EtcdLocks> locks) {
		Assert.notNull(locks, "'locks' must not be null");
		this.locks = SingletonSupplier.of(locks);
	}

	/**
	 * Set the bean factory that key expressions look {@code @beans} up in and that
	 * resolves property placeholders in durations.
	 * @param beanFactory the bean factory
	 */
	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		LockedMethod locked = lockedMethod(invocation);
		String name = locked.lockName(invocation.getArguments(), invocation.getThis(), this.beanFactory);
		EtcdMutex lock = this.locks.get().obtain(name);
		boolean acquired;
		try {
			acquired = lock.tryLockFor(locked.waitTime(), locked.ttl());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return notAcquired(locked, name, ex);
		}
		if (!acquired) {
			return notAcquired(locked, name, null);
		}
		if (!lock.isHeld()) {
			// Taken, but its lease passed its local deadline since (a pause): not ours to
			// act on.
			unlockQuietly(lock);
			return notAcquired(locked, name, null);
		}
		long start = System.nanoTime();
		LossInterrupter interrupter = locked.interruptOnLoss() ? new LossInterrupter(lock) : null;
		Object result;
		try {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			try {
				release(lock, locked, start, interrupter);
			}
			catch (RuntimeException releaseFailure) {
				ex.addSuppressed(releaseFailure);
			}
			throw ex;
		}
		release(lock, locked, start, interrupter);
		return result;
	}

	private static void unlockQuietly(EtcdMutex lock) {
		try {
			lock.unlock();
		}
		catch (RuntimeException ex) {
			logger.debug("Unlocking a lock lost before its method ran failed: " + ex.getMessage());
		}
	}

	private LockedMethod lockedMethod(MethodInvocation invocation) {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
		Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
		return this.methods.computeIfAbsent(new AnnotatedElementKey(method, targetClass), (key) -> {
			EtcdLock annotation = AnnotatedElementUtils.findMergedAnnotation(method, EtcdLock.class);
			if (annotation == null) {
				annotation = AnnotatedElementUtils.findMergedAnnotation(invocation.getMethod(), EtcdLock.class);
			}
			Assert.state(annotation != null, () -> "No @EtcdLock on " + method);
			return new LockedMethod(method, annotation, (this.beanFactory instanceof ConfigurableBeanFactory factory)
					? factory::resolveEmbeddedValue : null);
		});
	}

	private @Nullable Object notAcquired(LockedMethod locked, String name, @Nullable InterruptedException cause) {
		if (locked.onNotAcquired() == EtcdLock.OnNotAcquired.SKIP) {
			logger.debug(locked.describe() + " skipped: lock '" + PrintableKey.of(name) + "' is held elsewhere");
			return locked.skippedResult();
		}
		throw new EtcdLockNotAcquiredException(name, locked.waitTime(), cause);
	}

	private void release(EtcdMutex lock, LockedMethod locked, long start, @Nullable LossInterrupter interrupter) {
		if (interrupter != null) {
			interrupter.stop();
		}
		Duration keepFor = locked.holdAtLeast().minusNanos(System.nanoTime() - start);
		try {
			lock.unlock(keepFor);
		}
		catch (ConcurrentModificationException ex) {
			logger.warn(locked.describe() + " ran while its lock was lost: " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			// The method ran, holding the lock: its outcome stands. (An unlock that etcd
			// does not answer ends normally: it goes on in the background.)
			logger.warn("Unlocking after " + locked.describe() + " failed: " + ex.getMessage());
		}
	}

	/**
	 * Interrupts the thread running a method when its lock is lost, until the method
	 * returns; an interrupt it caused is cleared afterwards.
	 */
	private static final class LossInterrupter implements Runnable {

		private final Thread thread = Thread.currentThread();

		private boolean running = true;

		private boolean interrupted;

		LossInterrupter(EtcdMutex lock) {
			lock.onLoss(this);
		}

		@Override
		public synchronized void run() {
			if (this.running) {
				this.interrupted = true;
				this.thread.interrupt();
			}
		}

		/**
		 * Called by the thread that ran the method, when it returns.
		 */
		synchronized void stop() {
			this.running = false;
			if (this.interrupted) {
				Thread.interrupted();
			}
		}

	}

}
