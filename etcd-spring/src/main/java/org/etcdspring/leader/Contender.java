package org.etcdspring.leader;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Deadline;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdLeaseNotFoundException;
import org.etcdspring.core.EtcdThreads;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.lease.EtcdSession;

import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Campaigns for one role on a participant session while it runs: waits to lead, tells its
 * listener when the role is granted and revoked, and campaigns again after the leadership
 * is lost or yielded. Runs on a thread of its own that waits on watches, never polls; a
 * lost leadership is revoked as soon as the loss is known.
 *
 * @author etcd-spring
 */
final class Contender {

	private static final Log logger = LogFactory.getLog(Contender.class);

	private final Election election;

	private final ParticipantSession session;

	private final String value;

	private final Listener listener;

	private final Object lifecycleMonitor = new Object();

	private volatile Duration yieldBackOff = Duration.ofSeconds(1);

	private volatile Duration retryDelay = Duration.ofSeconds(1);

	private volatile boolean running;

	private volatile boolean yielding;

	private volatile @Nullable Term term;

	private @Nullable Thread thread;

	private @Nullable Thread stopping;

	Contender(Election election, ParticipantSession session, String value, Listener listener) {
		this.election = election;
		this.session = session;
		this.value = value;
		this.listener = listener;
	}

	void setYieldBackOff(Duration yieldBackOff) {
		Assert.isTrue(yieldBackOff != null && !yieldBackOff.isNegative(), "'yieldBackOff' must not be negative");
		this.yieldBackOff = yieldBackOff;
	}

	void setRetryDelay(Duration retryDelay) {
		Assert.isTrue(retryDelay != null && !retryDelay.isNegative(), "'retryDelay' must not be negative");
		this.retryDelay = retryDelay;
	}

	String role() {
		return this.election.role();
	}

	void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			this.session.claim(role());
			this.running = true;
			Thread thread = EtcdThreads.platform().thread("etcd-leader-" + PrintableKey.of(role()), this::run);
			this.thread = thread;
			thread.start();
		}
	}

	/**
	 * Tell the contender's thread to stop (resigning when leading), without waiting: so
	 * that several contenders stop in parallel.
	 */
	void requestStop() {
		Thread thread;
		synchronized (this.lifecycleMonitor) {
			if (!this.running) {
				return;
			}
			this.running = false;
			thread = this.thread;
			this.thread = null;
			this.stopping = thread;
		}
		if (thread != null) {
			thread.interrupt();
		}
	}

	/**
	 * Wait until the thread told to stop ended, or the deadline passed; past it, its
	 * resignation goes on in the background (or the key expires with its lease).
	 * @param deadline the deadline
	 */
	void awaitStop(Deadline deadline) {
		Thread thread;
		synchronized (this.lifecycleMonitor) {
			thread = this.stopping;
			this.stopping = null;
		}
		if (thread == null) {
			return;
		}
		if (thread != Thread.currentThread()) {
			try {
				long left = deadline.remainingNanos();
				if (left > 0) {
					thread.join(Math.max(1, left / 1_000_000));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (thread.isAlive()) {
				logger.warn("The etcd campaign for role '" + PrintableKey.of(role())
						+ "' did not end in time; its key goes with the lease of its session");
			}
		}
		this.session.release(role());
	}

	boolean isRunning() {
		return this.running;
	}

	boolean isLeader() {
		Term term = this.term;
		return term != null && term.leadership().isLeader();
	}

	/**
	 * The leadership held now.
	 * @return the leadership, empty when not leading
	 */
	Optional<Leadership> leadership() {
		Term term = this.term;
		return (term != null && term.leadership().isLeader()) ? Optional.of(term.leadership()) : Optional.empty();
	}

	/**
	 * Give up the role if leading, and campaign again after the yield back-off.
	 */
	void yieldLeadership() {
		Term term = this.term;
		if (term != null && term.leadership().isLeader()) {
			this.yielding = true;
			term.ended().countDown();
		}
	}

	private void run() {
		BackOffExecution retries = null;
		while (this.running) {
			try {
				lead();
				retries = null;
			}
			catch (InterruptedException ex) {
				// requestStop() interrupts; any other interruption just ends the current
				// attempt.
			}
			catch (EtcdException ex) {
				if (this.running) {
					retries = (retries != null) ? retries : retries();
					Duration delay = Duration.ofMillis(retries.nextBackOff());
					logger.warn("etcd campaign for role '" + PrintableKey.of(role()) + "' failed, trying again in "
							+ delay + ": " + ex.getMessage());
					this.listener.failedToAcquire(ex);
					pause(delay);
				}
			}
			catch (RuntimeException ex) {
				retries = (retries != null) ? retries : retries();
				Duration delay = Duration.ofMillis(retries.nextBackOff());
				logger.error(
						"etcd campaign for role '" + PrintableKey.of(role()) + "' failed, trying again in " + delay,
						ex);
				pause(delay);
			}
		}
	}

	/**
	 * The pauses between failed campaigns: the retry delay each time.
	 */
	private BackOffExecution retries() {
		return new FixedBackOff(this.retryDelay.toMillis(), FixedBackOff.UNLIMITED_ATTEMPTS).start();
	}

	private void lead() throws InterruptedException {
		Leadership leadership = campaign();
		Term term = new Term(leadership, new CountDownLatch(1));
		leadership.addListener((lost, reason) -> term.ended().countDown());
		this.term = term;
		try {
			this.listener.granted(leadership);
			if (!isStopped()) {
				term.ended().await();
			}
		}
		finally {
			this.term = null;
			resign(leadership);
			this.listener.revoked(leadership);
		}
		if (this.yielding) {
			this.yielding = false;
			pause(this.yieldBackOff);
		}
	}

	private Leadership campaign() throws InterruptedException {
		EtcdSession session = this.session.current();
		try {
			return campaign(session);
		}
		catch (EtcdLeaseNotFoundException ex) {
			// The lease went (revoked, say) before its keep-alive noticed: once more on a
			// new one.
			this.session.discard(session);
			return campaign(this.session.current());
		}
	}

	private Leadership campaign(EtcdSession session) throws InterruptedException {
		Leadership leadership = this.election.campaign(session, false, this.value, Deadline.until(this::isStopped),
				() -> this.listener.failedToAcquire(null));
		Assert.state(leadership != null, "A campaign without a deadline ended without leading");
		return leadership;
	}

	private void resign(Leadership leadership) {
		try {
			leadership.resign();
		}
		catch (EtcdException ex) {
			logger.warn("Resigning the etcd leadership of role '" + PrintableKey.of(role())
					+ "' failed; its key goes with its lease: " + ex.getMessage());
		}
	}

	private void pause(Duration delay) {
		try {
			if (!isStopped()) {
				Thread.sleep(delay.toMillis());
			}
		}
		catch (InterruptedException ex) {
			// requestStop() interrupts: the loop looks at the running flag.
		}
	}

	/**
	 * Whether {@link #requestStop()} was called. It clears the running flag before it
	 * interrupts this contender's thread, and every wait looks at the flag first: an
	 * interruption that the listener (a candidate's callback, say) swallowed still stops
	 * the contender.
	 */
	private boolean isStopped() {
		return !this.running;
	}

	/**
	 * Told what happens to the contender's campaign, on the contender's thread.
	 */
	interface Listener {

		/**
		 * The role is granted; the contender waits until this returns before it watches
		 * for the end of the leadership.
		 * @param leadership the leadership
		 * @throws InterruptedException when interrupted
		 */
		void granted(Leadership leadership) throws InterruptedException;

		/**
		 * The role is revoked: resigned, yielded or lost.
		 * @param leadership the leadership that ended
		 */
		void revoked(Leadership leadership);

		/**
		 * The role could not be taken now: another participant leads (the contender waits
		 * for its turn), or etcd failed (the contender tries again later).
		 * @param failure the failure, or {@code null} when another participant leads
		 */
		void failedToAcquire(@Nullable EtcdException failure);

	}

	private record Term(Leadership leadership, CountDownLatch ended) {
	}

}
