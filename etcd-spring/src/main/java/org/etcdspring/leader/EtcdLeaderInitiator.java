package org.etcdspring.leader;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Deadline;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdThreads;
import org.etcdspring.core.PrintableKey;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.event.DefaultLeaderEventPublisher;
import org.springframework.integration.leader.event.LeaderEventPublisher;
import org.springframework.util.Assert;

/**
 * Runs a Spring Integration {@link Candidate} in the etcd election of its role, with its
 * {@link Candidate#getId() ID} as the campaign value: the candidate is granted the role
 * when it leads and revoked when it resigns, yields, stops or loses its session's lease.
 * Every change is also published as an {@code OnGrantedEvent}, {@code OnRevokedEvent} or,
 * when the role is held by another participant or etcd fails,
 * {@code OnFailedToAcquireMutexEvent}, through a {@link LeaderEventPublisher} (by default
 * a {@link DefaultLeaderEventPublisher} on the application context).
 *
 * <p>
 * The campaign runs on a thread of its own, which waits on etcd watches rather than
 * polling. {@link Context#yield()} resigns and campaigns again after a
 * {@link #setYieldBackOff(Duration) back-off}; {@link #stop()} resigns.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLeaderInitiator implements SmartLifecycle, ApplicationEventPublisherAware {

	private static final Log logger = LogFactory.getLog(EtcdLeaderInitiator.class);

	private final Candidate candidate;

	private final Contender contender;

	private final Context context = new EtcdContext();

	private volatile @Nullable LeaderEventPublisher leaderEventPublisher;

	private @Nullable ApplicationEventPublisher applicationEventPublisher;

	private boolean autoStartup = true;

	private int phase = DEFAULT_PHASE;

	/**
	 * Create an initiator for a candidate.
	 * @param elections where the election comes from, such as an {@code EtcdOperations},
	 * whose election prefix applies
	 * @param session the session to campaign on, possibly shared with the campaigns for
	 * other roles
	 * @param candidate the candidate
	 */
	public EtcdLeaderInitiator(ElectionOperations elections, ParticipantSession session, Candidate candidate) {
		Assert.notNull(elections, "'elections' must not be null");
		Assert.notNull(session, "'session' must not be null");
		Assert.notNull(candidate, "'candidate' must not be null");
		Assert.notNull(candidate.getId(), "the candidate's ID must not be null");
		this.candidate = candidate;
		this.contender = new Contender(elections.election(candidate.getRole()), session, candidate.getId(),
				new CandidateListener());
	}

	/**
	 * Set the publisher of leadership events.
	 * @param leaderEventPublisher the publisher; by default a
	 * {@link DefaultLeaderEventPublisher} on the application event publisher, if any
	 */
	public void setLeaderEventPublisher(LeaderEventPublisher leaderEventPublisher) {
		Assert.notNull(leaderEventPublisher, "'leaderEventPublisher' must not be null");
		this.leaderEventPublisher = leaderEventPublisher;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher applicationEventPublisher) {
		this.applicationEventPublisher = applicationEventPublisher;
	}

	/**
	 * Set how long a candidate that yielded waits before it campaigns again, which gives
	 * the role to another participant when one is waiting (it then leads at once).
	 * @param yieldBackOff the back-off, 1 second by default
	 */
	public void setYieldBackOff(Duration yieldBackOff) {
		this.contender.setYieldBackOff(yieldBackOff);
	}

	/**
	 * Set how long to wait before campaigning again after etcd failed.
	 * @param retryDelay the delay, 1 second by default
	 */
	public void setRetryDelay(Duration retryDelay) {
		this.contender.setRetryDelay(retryDelay);
	}

	/**
	 * Set whether to start campaigning when the application context starts.
	 * @param autoStartup whether to start automatically, {@code true} by default
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	/**
	 * Set the lifecycle phase.
	 * @param phase the phase, {@link SmartLifecycle#DEFAULT_PHASE} by default: started
	 * last and stopped first, so the role is given up before the beans its leader uses
	 * stop
	 */
	public void setPhase(int phase) {
		this.phase = phase;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	/**
	 * The candidate's view of its leadership, also passed to its callbacks.
	 * @return the context
	 */
	public Context getContext() {
		return this.context;
	}

	/**
	 * Start campaigning.
	 * @throws IllegalStateException when the session already has a contender for the
	 * candidate's role
	 */
	@Override
	public void start() {
		if (this.leaderEventPublisher == null && this.applicationEventPublisher != null) {
			this.leaderEventPublisher = new DefaultLeaderEventPublisher(this.applicationEventPublisher);
		}
		this.contender.start();
	}

	/**
	 * Stop campaigning; when leading, resign (the candidate's role is revoked first) with
	 * one short attempt of at most {@link EtcdLeaderRoles#RESIGN_TIMEOUT}: with etcd
	 * unreachable the key goes with the session's lease.
	 */
	@Override
	public void stop() {
		stopAll(List.of(this));
	}

	/**
	 * Stop on a thread of its own, so that the context stops other components meanwhile.
	 * @param callback told when stopped
	 */
	@Override
	public void stop(Runnable callback) {
		stopInBackground(List.of(this), callback);
	}

	/**
	 * Stop several initiators in parallel, as {@link #stop()} stops one: each is told to
	 * stop at once, then all get one {@link EtcdLeaderRoles#RESIGN_TIMEOUT} in all to
	 * resign.
	 * @param initiators the initiators
	 */
	public static void stopAll(Collection<EtcdLeaderInitiator> initiators) {
		Assert.notNull(initiators, "'initiators' must not be null");
		initiators.forEach((initiator) -> initiator.contender.requestStop());
		Deadline deadline = Deadline.after(EtcdLeaderRoles.RESIGN_TIMEOUT);
		initiators.forEach((initiator) -> initiator.contender.awaitStop(deadline));
	}

	/**
	 * Stop several initiators in parallel, like {@link #stopAll(Collection)}, on a thread
	 * of its own: for {@link SmartLifecycle#stop(Runnable)}.
	 * @param initiators the initiators
	 * @param callback told when all stopped
	 */
	public static void stopInBackground(Collection<EtcdLeaderInitiator> initiators, Runnable callback) {
		Assert.notNull(initiators, "'initiators' must not be null");
		Assert.notNull(callback, "'callback' must not be null");
		// Told at once, so that no candidate is granted once the context began to stop.
		initiators.forEach((initiator) -> initiator.contender.requestStop());
		EtcdThreads.platform().thread("etcd-leader-initiator-stop", () -> {
			try {
				stopAll(initiators);
			}
			finally {
				callback.run();
			}
		}).start();
	}

	@Override
	public boolean isRunning() {
		return this.contender.isRunning();
	}

	@Override
	public String toString() {
		return "EtcdLeaderInitiator[role=" + this.candidate.getRole() + ", id=" + this.candidate.getId() + ", leader="
				+ this.contender.isLeader() + "]";
	}

	private final class CandidateListener implements Contender.Listener {

		@Override
		public void granted(Leadership leadership) throws InterruptedException {
			EtcdLeaderInitiator.this.candidate.onGranted(EtcdLeaderInitiator.this.context);
			publish("the grant",
					(publisher, context, role) -> publisher.publishOnGranted(EtcdLeaderInitiator.this, context, role));
		}

		@Override
		public void revoked(Leadership leadership) {
			try {
				EtcdLeaderInitiator.this.candidate.onRevoked(EtcdLeaderInitiator.this.context);
			}
			catch (RuntimeException ex) {
				logger.error(
						"The candidate for role '" + PrintableKey.of(leadership.role()) + "' failed on its revocation",
						ex);
			}
			publish("the revocation",
					(publisher, context, role) -> publisher.publishOnRevoked(EtcdLeaderInitiator.this, context, role));
		}

		@Override
		public void failedToAcquire(@Nullable EtcdException failure) {
			publish("the failure to acquire", (publisher, context, role) -> publisher
				.publishOnFailedToAcquire(EtcdLeaderInitiator.this, context, role));
		}

		private void publish(String what, Event event) {
			LeaderEventPublisher publisher = EtcdLeaderInitiator.this.leaderEventPublisher;
			String role = EtcdLeaderInitiator.this.candidate.getRole();
			if (publisher != null) {
				try {
					event.publish(publisher, EtcdLeaderInitiator.this.context, role);
				}
				catch (RuntimeException ex) {
					logger.warn("Publishing " + what + " of role '" + PrintableKey.of(role) + "' failed", ex);
				}
			}
		}

	}

	@FunctionalInterface
	private interface Event {

		void publish(LeaderEventPublisher publisher, Context context, String role);

	}

	private final class EtcdContext implements Context {

		@Override
		public boolean isLeader() {
			return EtcdLeaderInitiator.this.contender.isLeader();
		}

		@Override
		public void yield() {
			EtcdLeaderInitiator.this.contender.yieldLeadership();
		}

		@Override
		public String getRole() {
			return EtcdLeaderInitiator.this.candidate.getRole();
		}

		@Override
		public String toString() {
			return "EtcdContext[role=" + getRole() + ", id=" + EtcdLeaderInitiator.this.candidate.getId() + ", leader="
					+ isLeader() + "]";
		}

	}

}
