package org.etcdspring.boot.autoconfigure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.leader.EtcdLeaderRoles;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Leadership that follows readiness ({@code etcd.leader.follow-readiness=true}): no
 * campaign of this instance starts before the application's {@link ReadinessState} is
 * {@link ReadinessState#ACCEPTING_TRAFFIC ACCEPTING_TRAFFIC} for the first time (Spring
 * Boot publishes it once the application is ready, after the context started); when it
 * turns {@link ReadinessState#REFUSING_TRAFFIC REFUSING_TRAFFIC}, every campaign stops on
 * the publishing thread (running {@code @EtcdLeader} invocations finish first, then the
 * roles it leads are resigned, so another instance takes them at once), and none runs
 * again until the state is {@code ACCEPTING_TRAFFIC} again. The campaigns are those of
 * {@link EtcdLeaderRoles} ({@code @EtcdLeader}) and of the Spring Integration leader
 * initiators: they do not start with the context, this starts them, and an explicit start
 * of the context does not start them while the application refuses traffic.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdLeaderReadiness implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>>,
		SmartInitializingSingleton, SmartLifecycle {

	static final String NOT_READY_YET = "readiness has not been ACCEPTING_TRAFFIC yet";

	private static final Log logger = LogFactory.getLog(EtcdLeaderReadiness.class);

	private final ObjectProvider<EtcdLeaderRoles> roles;

	private final ObjectProvider<EtcdLeaderInitiators> initiators;

	private final ObjectProvider<ApplicationAvailability> availability;

	/** The campaigns this starts and stops, in place of the context; guarded by this. */
	private final List<SmartLifecycle> campaigns = new ArrayList<>(2);

	/** Guarded by this. */
	private boolean running;

	private volatile @Nullable String pauseReason = NOT_READY_YET;

	EtcdLeaderReadiness(ObjectProvider<EtcdLeaderRoles> roles, ObjectProvider<EtcdLeaderInitiators> initiators,
			ObjectProvider<ApplicationAvailability> availability) {
		this.roles = roles;
		this.initiators = initiators;
		this.availability = availability;
	}

	/**
	 * Keep the campaigns from starting with the context: they start once the application
	 * accepts traffic. They also refuse to start while it does not, because an explicit
	 * start of the context ({@code context.start()} after {@code stop()}) starts every
	 * lifecycle bean, auto-startup or not.
	 */
	@Override
	public synchronized void afterSingletonsInstantiated() {
		this.roles.ifAvailable((roles) -> holdBack(roles, roles::setAutoStartup, roles::setStartCondition));
		this.initiators.ifAvailable(
				(initiators) -> holdBack(initiators, initiators::setAutoStartup, initiators::setStartCondition));
	}

	private void holdBack(SmartLifecycle campaigns, Consumer<Boolean> autoStartup,
			Consumer<BooleanSupplier> startCondition) {
		if (campaigns.isAutoStartup() && !campaigns.isRunning()) {
			autoStartup.accept(false);
			// A volatile read: the campaigns check it under their own lock.
			startCondition.accept(() -> this.pauseReason == null);
			this.campaigns.add(campaigns);
		}
	}

	/**
	 * Start the campaigns if the application accepts traffic already (the
	 * {@link ApplicationAvailability} says so), else wait for it.
	 */
	@Override
	public synchronized void start() {
		this.running = true;
		ApplicationAvailability availability = this.availability.getIfAvailable();
		if (availability != null && availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC) {
			this.pauseReason = null;
		}
		if (this.pauseReason == null) {
			startCampaigns();
		}
		else if (!this.campaigns.isEmpty()) {
			logger.info("etcd leadership waits (" + this.pauseReason + ") before campaigning");
		}
	}

	/**
	 * Only take note: the context stops the campaigns itself.
	 */
	@Override
	public synchronized void stop() {
		this.running = false;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
		if (event.getState() == ReadinessState.REFUSING_TRAFFIC) {
			pause("readiness is REFUSING_TRAFFIC since " + Instant.now());
		}
		else if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
			resume();
		}
	}

	/**
	 * Why this instance does not campaign now.
	 * @return the reason, or {@code null} when readiness does not hold the campaigns back
	 */
	public @Nullable String getPauseReason() {
		return this.pauseReason;
	}

	/**
	 * Stop every campaign on the publishing thread, so that the roles are resigned by the
	 * time the event was handled.
	 */
	private synchronized void pause(String reason) {
		String previous = this.pauseReason;
		if (previous == null || NOT_READY_YET.equals(previous)) {
			this.pauseReason = reason;
		}
		int stopped = 0;
		for (SmartLifecycle campaigns : this.campaigns) {
			if (campaigns.isRunning()) {
				campaigns.stop();
				stopped++;
			}
		}
		if (previous == null) {
			logger.info(
					"etcd leadership paused (" + reason + "): resigned and stopped " + stopped + " campaign group(s)");
		}
	}

	private synchronized void resume() {
		if (this.pauseReason == null) {
			return;
		}
		this.pauseReason = null;
		if (this.running) {
			startCampaigns();
		}
	}

	/** Called with this held. */
	private void startCampaigns() {
		boolean started = false;
		for (SmartLifecycle campaigns : this.campaigns) {
			if (!campaigns.isRunning()) {
				campaigns.start();
				started = true;
			}
		}
		if (started) {
			logger.info("etcd leadership resumed (readiness is ACCEPTING_TRAFFIC): campaigning");
		}
	}

}
