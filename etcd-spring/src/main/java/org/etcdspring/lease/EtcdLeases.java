package org.etcdspring.lease;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Durations;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdLeaseNotFoundException;
import org.etcdspring.core.EtcdThreads;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.core.transport.Lease.GrantRequest;
import org.etcdspring.core.transport.Lease.GrantResponse;
import org.etcdspring.core.transport.Lease.IdRequest;
import org.etcdspring.core.transport.Lease.KeepAliveEnvelope;
import org.etcdspring.core.transport.Lease.TimeToLiveRequest;
import org.etcdspring.core.transport.Lease.TimeToLiveResponse;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;

import static org.etcdspring.core.transport.Lease.GRANT;
import static org.etcdspring.core.transport.Lease.KEEP_ALIVE;
import static org.etcdspring.core.transport.Lease.REVOKE;
import static org.etcdspring.core.transport.Lease.TIME_TO_LIVE;

/**
 * {@link LeaseOperations} on an {@link EtcdTransport}, keeping leases alive in the
 * background.
 *
 * <p>
 * Each kept-alive lease is renewed at a third of its time to live. Each lease has a local
 * deadline: its time to live counted from when the last successful grant or keep-alive
 * request was <em>sent</em>, on {@link System#nanoTime()}; past it the lease is
 * {@link LeaseKeepAlive#isAlive() not alive}, with no I/O, whatever the process was doing
 * meanwhile (a GC pause, a stopped VM). A renewal call, over every endpoint, is bounded
 * by the time the lease has left; a failed renewal is reported and retried until the
 * deadline passes. The expiry is noticed by a timer of its own, never behind a renewal,
 * and each renewal runs on a thread of its own, so one slow lease delays no other.
 * Listeners are told on an event thread. Renewal never stops silently.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdLeases implements LeaseOperations, AutoCloseable {

	private static final Log logger = LogFactory.getLog(EtcdLeases.class);

	private static final Duration MIN_RETRY_DELAY = Duration.ofMillis(100);

	private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(1);

	private final EtcdTransport transport;

	private final Namespace namespace;

	private final Set<Registration> registrations = ConcurrentHashMap.newKeySet();

	private final AtomicLong keepAliveFailures = new AtomicLong();

	private @Nullable Threads threads;

	private boolean closed;

	public EtcdLeases(EtcdTransport transport, Namespace namespace) {
		Assert.notNull(transport, "'transport' must not be null");
		Assert.notNull(namespace, "'namespace' must not be null");
		this.transport = transport;
		this.namespace = namespace;
	}

	@Override
	public Lease grant(Duration ttl) {
		Durations.requirePositive(ttl, "lease TTL");
		long seconds = (ttl.toMillis() + 999) / 1000;
		long sentAt = System.nanoTime();
		GrantResponse response = this.transport.call(GRANT, new GrantRequest(seconds, 0), null);
		if (response.error() != null && !response.error().isEmpty()) {
			throw new EtcdException("etcd lease grant failed: " + response.error());
		}
		return new Lease(response.id(), Duration.ofSeconds(response.ttl()), sentAt);
	}

	/**
	 * Revoke a lease, deleting every key attached to it. With a namespace, a lease that
	 * holds keys outside the namespace is not revoked (revoking it would delete them):
	 * the keys are checked first. A key attached to the lease between the check and the
	 * revocation is not seen; a namespace is not a security boundary, etcd's role-based
	 * access control is.
	 * @param leaseId the lease
	 * @return {@code false} when the lease did not exist (any more)
	 * @throws EtcdException when the lease holds keys outside this namespace
	 */
	@Override
	public boolean revoke(long leaseId) {
		if (!this.namespace.prefix().isEmpty()) {
			TimeToLiveResponse status = this.transport.call(TIME_TO_LIVE, new TimeToLiveRequest(leaseId, true), null);
			if (status.ttl() < 0) {
				return false;
			}
			long outside = status.keys().stream().filter((key) -> !this.namespace.contains(key)).count();
			if (outside > 0) {
				throw new EtcdException(
						"etcd lease " + Long.toHexString(leaseId) + " holds " + outside
								+ " key(s) outside the namespace '" + PrintableKey.of(this.namespace.prefix())
								+ "'; it is not revoked, because revoking it would delete them",
						"lease revoke", null, null, null);
			}
		}
		try {
			this.transport.call(REVOKE, new IdRequest(leaseId), null);
			return true;
		}
		catch (EtcdLeaseNotFoundException ex) {
			return false;
		}
	}

	@Override
	public boolean revoke(long leaseId, Duration timeout) {
		Durations.requirePositive(timeout, "'timeout'");
		try {
			this.transport.call(REVOKE, new IdRequest(leaseId), null, perAttempt(timeout.toNanos()));
			return true;
		}
		catch (EtcdLeaseNotFoundException ex) {
			return false;
		}
	}

	/**
	 * The time each endpoint may take so that a call over every endpoint ends within the
	 * given time.
	 */
	private Duration perAttempt(long totalNanos) {
		int endpoints = Math.max(1, this.transport.endpoints().size());
		long perAttempt = Math.max(totalNanos / endpoints, 1_000_000);
		return Duration.ofNanos(Math.min(perAttempt, this.transport.requestTimeout().toNanos()));
	}

	@Override
	public Optional<Duration> keepAliveOnce(long leaseId) {
		return keepAliveOnce(leaseId, this.transport.requestTimeout());
	}

	private Optional<Duration> keepAliveOnce(long leaseId, Duration timeout) {
		KeepAliveEnvelope response = this.transport.call(KEEP_ALIVE, new IdRequest(leaseId), null, timeout);
		// A lost lease answers without a TTL (zero), or not at all.
		return (response.result() != null && response.result().ttl() > 0)
				? Optional.of(Duration.ofSeconds(response.result().ttl())) : Optional.empty();
	}

	@Override
	public Optional<LeaseStatus> timeToLive(long leaseId, boolean withKeys) {
		TimeToLiveResponse response = this.transport.call(TIME_TO_LIVE, new TimeToLiveRequest(leaseId, withKeys), null);
		if (response.ttl() < 0) {
			return Optional.empty();
		}
		// Keys of other namespaces on the same lease are not this client's to see.
		List<String> keys = response.keys()
			.stream()
			.filter(this.namespace::contains)
			.map(this.namespace::decode)
			.toList();
		return Optional.of(new LeaseStatus(response.id(), Duration.ofSeconds(response.ttl()),
				Duration.ofSeconds(response.grantedTtl()), keys));
	}

	@Override
	public LeaseKeepAlive keepAlive(Lease lease, LeaseListener listener) {
		Assert.notNull(lease, "'lease' must not be null");
		Assert.notNull(listener, "'listener' must not be null");
		Registration registration = new Registration(lease, listener);
		this.registrations.add(registration);
		registration.scheduleExpiry();
		registration.scheduleRenewal(renewalInterval(lease.ttl()));
		return registration;
	}

	/**
	 * How many leases are being kept alive.
	 * @return the number of live keep-alives
	 */
	public int keepAliveCount() {
		return this.registrations.size();
	}

	/**
	 * How many background renewals failed so far.
	 * @return the failure count
	 */
	public long keepAliveFailureCount() {
		return this.keepAliveFailures.get();
	}

	private synchronized Threads threads() {
		Assert.state(!this.closed, "The lease keep-alive scheduler has been closed");
		if (this.threads == null) {
			this.threads = new Threads(this.transport.threads());
		}
		return this.threads;
	}

	private static Duration renewalInterval(Duration ttl) {
		return ttl.dividedBy(3);
	}

	private static Duration retryDelay(Duration ttl) {
		Duration delay = ttl.dividedBy(6);
		return (delay.compareTo(MIN_RETRY_DELAY) < 0) ? MIN_RETRY_DELAY
				: (delay.compareTo(MAX_RETRY_DELAY) > 0) ? MAX_RETRY_DELAY : delay;
	}

	/**
	 * Stop every keep-alive (leases are not revoked) and the keep-alive threads.
	 */
	@Override
	public void close() {
		Threads threads;
		synchronized (this) {
			this.closed = true;
			threads = this.threads;
		}
		this.registrations.forEach(Registration::close);
		if (threads != null) {
			threads.shutdown();
		}
	}

	private final class Registration implements LeaseKeepAlive {

		private final Lease lease;

		private final List<LeaseListener> listeners = new CopyOnWriteArrayList<>();

		private final AtomicBoolean alive = new AtomicBoolean(true);

		private volatile long expiresAtNanos;

		private volatile @Nullable ScheduledFuture<?> renewal;

		private volatile @Nullable ScheduledFuture<?> expiry;

		private volatile @Nullable EtcdException lastFailure;

		Registration(Lease lease, LeaseListener listener) {
			this.lease = lease;
			this.listeners.add(listener);
			this.expiresAtNanos = lease.grantSentNanos() + lease.ttl().toNanos();
		}

		@Override
		public Lease lease() {
			return this.lease;
		}

		@Override
		public boolean isAlive() {
			return this.alive.get() && System.nanoTime() - this.expiresAtNanos < 0;
		}

		@Override
		public long aliveUntilNanos() {
			return this.expiresAtNanos;
		}

		@Override
		public void addListener(LeaseListener listener) {
			Assert.notNull(listener, "'listener' must not be null");
			this.listeners.add(listener);
			if (!isAlive() && this.listeners.remove(listener)) {
				listener.leaseLost(this.lease.id(), "the lease was already lost or its keep-alive closed", null);
			}
		}

		@Override
		public void removeListener(LeaseListener listener) {
			this.listeners.remove(listener);
		}

		@Override
		public void retryWhileAlive(String description, Runnable action) {
			Assert.notNull(description, "'description' must not be null");
			Assert.notNull(action, "'action' must not be null");
			logger.warn(description + ": retrying in the background while lease " + this.lease.hexId() + " lives");
			scheduleRetry(description, action, MIN_RETRY_DELAY);
		}

		private void scheduleRetry(String description, Runnable action, Duration delay) {
			if (!isAlive()) {
				return;
			}
			try {
				Threads threads = threads();
				threads.timer.schedule(() -> threads.renewals.execute(() -> retry(description, action, delay)),
						delay.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (RuntimeException ex) {
				// Closed: the lease is no longer renewed, so its keys expire with it.
			}
		}

		private void retry(String description, Runnable action, Duration delay) {
			if (!isAlive()) {
				logger.info(description + ": no longer needed, lease " + this.lease.hexId() + " is gone");
				return;
			}
			try {
				action.run();
				logger.info(description + ": succeeded on a retry");
			}
			catch (EtcdException ex) {
				Duration next = delay.multipliedBy(2);
				Duration longest = renewalInterval(this.lease.ttl());
				scheduleRetry(description, action, (next.compareTo(longest) > 0) ? longest : next);
			}
			catch (RuntimeException ex) {
				logger.error(description + ": failed for good", ex);
			}
		}

		/**
		 * Renew once, on a renewal thread: bounded by the time the lease has left, so
		 * that a renewal never outlives the lease it renews.
		 */
		void renew() {
			if (!this.alive.get()) {
				return;
			}
			long sentAt = System.nanoTime();
			Duration ttl = this.lease.ttl();
			long left = this.expiresAtNanos - sentAt;
			if (left <= 0) {
				expired();
				return;
			}
			try {
				Optional<Duration> renewed = keepAliveOnce(this.lease.id(), perAttempt(left));
				if (renewed.isEmpty()) {
					lost("the server no longer has lease " + this.lease.hexId(), null);
					return;
				}
				synchronized (this) {
					if (!this.alive.get() || System.nanoTime() - this.expiresAtNanos >= 0) {
						// Too late: the lease was given up for lost while the answer
						// travelled.
						return;
					}
					this.expiresAtNanos = sentAt + renewed.get().toNanos();
				}
				scheduleExpiry();
				scheduleRenewal(renewalInterval(ttl));
			}
			catch (EtcdException ex) {
				EtcdLeases.this.keepAliveFailures.incrementAndGet();
				this.lastFailure = ex;
				logger.warn("Renewing etcd lease " + this.lease.hexId() + " failed: " + ex.getMessage());
				this.listeners.forEach((listener) -> notify(() -> listener.keepAliveFailed(this.lease.id(), ex)));
				if (System.nanoTime() - this.expiresAtNanos >= 0) {
					expired();
				}
				else {
					scheduleRenewal(retryDelay(ttl));
				}
			}
			catch (RuntimeException ex) {
				lost("renewing lease " + this.lease.hexId() + " failed unexpectedly: " + ex, null);
			}
		}

		void scheduleRenewal(Duration delay) {
			if (this.alive.get()) {
				Threads threads = threads();
				this.renewal = threads.timer.schedule(() -> threads.renewals.execute(this::renew), delay.toNanos(),
						TimeUnit.NANOSECONDS);
			}
		}

		/**
		 * Notice the expiry on the timer thread, whatever a renewal is doing.
		 */
		void scheduleExpiry() {
			ScheduledFuture<?> previous = this.expiry;
			if (previous != null) {
				previous.cancel(false);
			}
			if (this.alive.get()) {
				this.expiry = threads().timer.schedule(this::checkExpiry, this.expiresAtNanos - System.nanoTime(),
						TimeUnit.NANOSECONDS);
			}
		}

		private void checkExpiry() {
			if (System.nanoTime() - this.expiresAtNanos >= 0) {
				expired();
			}
		}

		private synchronized void expired() {
			lost("lease " + this.lease.hexId() + " was not renewed before its time to live of " + this.lease.ttl()
					+ " ran out", this.lastFailure);
		}

		private void lost(String reason, @Nullable EtcdException cause) {
			if (this.alive.compareAndSet(true, false)) {
				cancelTasks();
				EtcdLeases.this.registrations.remove(this);
				logger.warn("etcd lease " + this.lease.hexId() + " is lost: " + reason);
				this.listeners.forEach((listener) -> notify(() -> listener.leaseLost(this.lease.id(), reason, cause)));
			}
		}

		/**
		 * Tell a listener on the event thread: a slow listener delays no renewal.
		 */
		private void notify(Runnable call) {
			try {
				threads().events.execute(() -> tell(call));
			}
			catch (RuntimeException ex) {
				// Closed meanwhile (or the event thread is gone): tell on this thread.
				tell(call);
			}
		}

		private void tell(Runnable call) {
			try {
				call.run();
			}
			catch (RuntimeException ex) {
				logger.error("A lease listener of lease " + this.lease.hexId() + " failed", ex);
			}
		}

		private void cancelTasks() {
			ScheduledFuture<?> renewal = this.renewal;
			if (renewal != null) {
				renewal.cancel(false);
			}
			ScheduledFuture<?> expiry = this.expiry;
			if (expiry != null) {
				expiry.cancel(false);
			}
		}

		@Override
		public void close() {
			if (this.alive.compareAndSet(true, false)) {
				cancelTasks();
				EtcdLeases.this.registrations.remove(this);
			}
		}

	}

	/**
	 * The keep-alive's threads: a timer that only schedules (renewals and expiry checks),
	 * renewal threads that make the calls (one per lease renewing at that moment, so one
	 * slow lease delays no other), and one event thread that tells the listeners in
	 * order.
	 */
	private static final class Threads {

		private final ThreadPoolTaskScheduler scheduler;

		private final ScheduledExecutorService timer;

		private final ThreadPoolTaskExecutor renewals;

		private final ThreadPoolTaskExecutor events;

		Threads(EtcdThreads threads) {
			this.scheduler = threads.timer("etcd-lease-timer-");
			this.timer = this.scheduler.getScheduledExecutor();
			this.renewals = threads.workers("etcd-lease-renewal-");
			this.events = threads.serial("etcd-lease-events-");
			// The listeners still hear what happened before the close.
			this.events.setWaitForTasksToCompleteOnShutdown(true);
		}

		void shutdown() {
			this.scheduler.shutdown();
			this.renewals.shutdown();
			this.events.shutdown();
		}

	}

}
