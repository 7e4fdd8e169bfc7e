package org.etcdspring.boot.autoconfigure;

import java.util.List;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import org.etcdspring.EtcdOperations;
import org.etcdspring.leader.EtcdLeaderInitiator;
import org.etcdspring.leader.ParticipantSession;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.event.LeaderEventPublisher;

/**
 * One {@link EtcdLeaderInitiator} for each {@link Candidate} bean, started and stopped
 * together with the application context; they stop in parallel.
 *
 * @author etcd-spring
 */
final class EtcdLeaderInitiators implements SmartLifecycle, ApplicationEventPublisherAware {

	private final List<EtcdLeaderInitiator> initiators;

	private volatile boolean autoStartup = true;

	private volatile BooleanSupplier startCondition = () -> true;

	EtcdLeaderInitiators(EtcdOperations etcd, ParticipantSession participantSession, List<Candidate> candidates,
			@Nullable LeaderEventPublisher leaderEventPublisher) {
		this.initiators = candidates.stream().map((candidate) -> {
			EtcdLeaderInitiator initiator = new EtcdLeaderInitiator(etcd, participantSession, candidate);
			if (leaderEventPublisher != null) {
				initiator.setLeaderEventPublisher(leaderEventPublisher);
			}
			return initiator;
		}).toList();
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher applicationEventPublisher) {
		this.initiators.forEach((initiator) -> initiator.setApplicationEventPublisher(applicationEventPublisher));
	}

	List<EtcdLeaderInitiator> getInitiators() {
		return this.initiators;
	}

	/**
	 * Set whether the initiators start with the application context; leadership that
	 * follows readiness starts them once the application accepts traffic instead.
	 * @param autoStartup whether to start automatically, {@code true} by default
	 */
	void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	/**
	 * Set what must hold for {@link #start()} to start the initiators; while it does not,
	 * a start does nothing (an application context's explicit {@code start()} starts
	 * every lifecycle bean, auto-startup or not).
	 * @param startCondition checked at each start; it must not take locks
	 */
	void setStartCondition(BooleanSupplier startCondition) {
		this.startCondition = startCondition;
	}

	@Override
	public void start() {
		if (this.startCondition.getAsBoolean()) {
			this.initiators.forEach(EtcdLeaderInitiator::start);
		}
	}

	/**
	 * Stop every initiator in parallel: one short attempt to resign, at most
	 * {@link org.etcdspring.leader.EtcdLeaderRoles#RESIGN_TIMEOUT} in all.
	 */
	@Override
	public void stop() {
		EtcdLeaderInitiator.stopAll(this.initiators);
	}

	@Override
	public void stop(Runnable callback) {
		EtcdLeaderInitiator.stopInBackground(this.initiators, callback);
	}

	@Override
	public boolean isRunning() {
		return this.initiators.stream().anyMatch(EtcdLeaderInitiator::isRunning);
	}

}
