package org.etcdspring.boot.autoconfigure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.leader.EtcdLeaderRoles;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Leadership that follows readiness ({@code etcd.leader.follow-readiness=true}): when the
 * application's {@link ReadinessState} turns {@link ReadinessState#REFUSING_TRAFFIC
 * REFUSING_TRAFFIC}, every campaign of this instance stops (the roles it leads are
 * resigned, so another instance takes them at once), and none runs again until the
 * state is {@link ReadinessState#ACCEPTING_TRAFFIC ACCEPTING_TRAFFIC}. The campaigns are
 * those of {@link EtcdLeaderRoles} ({@code @EtcdLeader}) and of the Spring Integration
 * leader initiators.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdLeaderReadiness implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

	private static final Log logger = LogFactory.getLog(EtcdLeaderReadiness.class);

	private final ObjectProvider<EtcdLeaderRoles> roles;

	private final ObjectProvider<EtcdLeaderInitiators> initiators;

	/** The campaigns stopped while not ready, to start again; guarded by this. */
	private final List<SmartLifecycle> paused = new ArrayList<>();

	private volatile @Nullable String pauseReason;

	EtcdLeaderReadiness(ObjectProvider<EtcdLeaderRoles> roles, ObjectProvider<EtcdLeaderInitiators> initiators) {
		this.roles = roles;
		this.initiators = initiators;
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

	private synchronized void pause(String reason) {
		if (this.pauseReason != null) {
			return;
		}
		this.pauseReason = reason;
		for (SmartLifecycle campaigns : campaigns()) {
			if (campaigns.isRunning()) {
				campaigns.stop();
				this.paused.add(campaigns);
			}
		}
		logger.info("etcd leadership paused (" + reason + "): resigned and stopped " + this.paused.size()
				+ " campaign group(s)");
	}

	private synchronized void resume() {
		if (this.pauseReason == null) {
			return;
		}
		this.pauseReason = null;
		this.paused.forEach(SmartLifecycle::start);
		logger.info("etcd leadership resumed (readiness is ACCEPTING_TRAFFIC): campaigning again");
		this.paused.clear();
	}

	private List<SmartLifecycle> campaigns() {
		List<SmartLifecycle> campaigns = new ArrayList<>(2);
		this.roles.ifAvailable(campaigns::add);
		this.initiators.ifAvailable(campaigns::add);
		return campaigns;
	}

}
