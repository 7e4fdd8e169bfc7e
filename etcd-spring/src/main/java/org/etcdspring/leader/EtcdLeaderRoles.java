package org.etcdspring.leader;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdOperations;
import org.etcdspring.core.PrintableKey;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * This instance's campaigns for the roles of {@link EtcdLeader @EtcdLeader} methods:
 * one campaign per role, all on one {@link ParticipantSession}, running from start to
 * stop, each campaigning again whenever its leadership ends. Stopping resigns every
 * role. Also the place to ask which roles this instance leads, for health and metrics.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLeaderRoles implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(EtcdLeaderRoles.class);

	private final EtcdOperations etcd;

	private final ParticipantSession session;

	private final String id;

	private final Map<String, Contender> contenders = new ConcurrentHashMap<>();

	private final Object lifecycleMonitor = new Object();

	private volatile boolean running;

	/**
	 * Create the campaigns of an instance; none runs before {@link #start()}.
	 * @param etcd the etcd operations, whose election prefix applies
	 * @param session the session to campaign on
	 * @param id the campaign value: how other instances and {@code etcdctl elect -l}
	 * see this instance when it leads
	 */
	public EtcdLeaderRoles(EtcdOperations etcd, ParticipantSession session, String id) {
		Assert.notNull(etcd, "'etcd' must not be null");
		Assert.notNull(session, "'session' must not be null");
		Assert.notNull(id, "'id' must not be null");
		this.etcd = etcd;
		this.session = session;
		this.id = id;
	}

	/**
	 * Campaign for a role: from {@link #start()} on, or now when already running. Adding
	 * a role again does nothing.
	 * @param role the role; must not contain {@code '/'}
	 */
	public void addRole(String role) {
		Election.checkRole(role);
		synchronized (this.lifecycleMonitor) {
			this.contenders.computeIfAbsent(role, (name) -> {
				Contender contender = new Contender(this.etcd.election(name), this.session, this.id,
						new LoggingListener(name));
				if (this.running) {
					contender.start();
				}
				return contender;
			});
		}
	}

	/**
	 * Whether this instance leads the role now.
	 * @param role the role
	 * @return {@code false} for a role it does not campaign for
	 */
	public boolean isLeader(String role) {
		Contender contender = this.contenders.get(role);
		return contender != null && contender.isLeader();
	}

	/**
	 * The roles campaigned for.
	 * @return the roles, sorted
	 */
	public Set<String> getRoles() {
		return new TreeSet<>(this.contenders.keySet());
	}

	/**
	 * The roles this instance leads now.
	 * @return the roles, sorted
	 */
	public Set<String> getLeadingRoles() {
		Set<String> leading = new TreeSet<>();
		this.contenders.forEach((role, contender) -> {
			if (contender.isLeader()) {
				leading.add(role);
			}
		});
		return leading;
	}

	/**
	 * The campaign value of this instance.
	 * @return the ID
	 */
	public String getId() {
		return this.id;
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			this.running = true;
			this.contenders.values().forEach(Contender::start);
		}
	}

	/**
	 * Stop every campaign, resigning the roles led.
	 */
	@Override
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			this.running = false;
			this.contenders.values().forEach(Contender::stop);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public String toString() {
		return "EtcdLeaderRoles[id=" + this.id + ", roles=" + getRoles() + ", leading=" + getLeadingRoles() + "]";
	}

	private static final class LoggingListener implements Contender.Listener {

		private final String role;

		LoggingListener(String role) {
			this.role = role;
		}

		@Override
		public void granted(Leadership leadership) {
			logger.info("This instance leads role '" + PrintableKey.of(this.role) + "' (key '"
					+ PrintableKey.of(leadership.key()) + "')");
		}

		@Override
		public void revoked(Leadership leadership) {
			logger.info("This instance no longer leads role '" + PrintableKey.of(this.role) + "'");
		}

		@Override
		public void failedToAcquire(@Nullable EtcdException failure) {
			if (failure == null && logger.isDebugEnabled()) {
				logger.debug("Another instance leads role '" + PrintableKey.of(this.role) + "'; waiting for its turn");
			}
		}

	}

}
