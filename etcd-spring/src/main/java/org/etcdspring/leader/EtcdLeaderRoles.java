package org.etcdspring.leader;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Deadline;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdThreads;
import org.etcdspring.core.PrintableKey;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * This instance's campaigns for the roles of {@link EtcdLeader @EtcdLeader} methods: one
 * campaign per role, all on one {@link ParticipantSession}, running from start to stop,
 * each campaigning again whenever its leadership ends. Stopping resigns every role. Also
 * the place to ask which roles this instance leads, for health and metrics.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdLeaderRoles implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(EtcdLeaderRoles.class);

	private final ElectionOperations elections;

	private final ParticipantSession session;

	private final String id;

	private final Map<String, Contender> contenders = new ConcurrentHashMap<>();

	/**
	 * How long stopping waits for running {@link EtcdLeader @EtcdLeader} invocations.
	 */
	public static final Duration INVOCATIONS_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * How long stopping waits, in all, for the roles to resign.
	 */
	public static final Duration RESIGN_TIMEOUT = Duration.ofMillis(1500);

	private final Object lifecycleMonitor = new Object();

	private final Invocations invocations = new Invocations();

	private volatile boolean running;

	private volatile boolean autoStartup = true;

	private volatile BooleanSupplier startCondition = () -> true;

	/**
	 * Create the campaigns of an instance; none runs before {@link #start()}.
	 * @param elections where the elections come from, such as an {@code EtcdOperations},
	 * whose election prefix applies
	 * @param session the session to campaign on
	 * @param id the campaign value: how other instances and {@code etcdctl elect -l} see
	 * this instance when it leads
	 */
	public EtcdLeaderRoles(ElectionOperations elections, ParticipantSession session, String id) {
		Assert.notNull(elections, "'elections' must not be null");
		Assert.notNull(session, "'session' must not be null");
		Assert.notNull(id, "'id' must not be null");
		this.elections = elections;
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
				Contender contender = new Contender(this.elections.election(name), this.session, this.id,
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
	 * The leadership of a role held now: what an {@link EtcdLeader @EtcdLeader} method
	 * fences its writes with, {@code etcd.txn().ifHeld(leadership)}, so that etcd refuses
	 * them once another instance leads.
	 * @param role the role
	 * @return the leadership, empty when this instance does not lead the role
	 */
	public Optional<Leadership> leadership(String role) {
		Contender contender = this.contenders.get(role);
		return (contender != null) ? contender.leadership() : Optional.empty();
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

	/**
	 * Set whether to start campaigning when the application context starts.
	 * @param autoStartup whether to start automatically, {@code true} by default;
	 * {@code false} when something else starts the campaigns later (leadership that
	 * follows readiness starts them once the application accepts traffic)
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	/**
	 * Set what must hold for {@link #start()} to campaign; while it does not, a start
	 * does nothing. Leadership that follows readiness sets it: an application context's
	 * explicit {@code start()} starts every lifecycle bean, auto-startup or not, and must
	 * not make an instance that refuses traffic campaign.
	 * @param startCondition checked at each start, under a lock of this object, so it
	 * must not take locks itself; always {@code true} by default
	 */
	public void setStartCondition(BooleanSupplier startCondition) {
		Assert.notNull(startCondition, "'startCondition' must not be null");
		this.startCondition = startCondition;
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (!this.startCondition.getAsBoolean()) {
				logger.debug("Not campaigning: the start condition does not hold");
				return;
			}
			this.running = true;
			this.contenders.values().forEach(Contender::start);
		}
	}

	/**
	 * Stop every campaign, resigning the roles led: first no new
	 * {@link EtcdLeader @EtcdLeader} invocation starts, and those running get up to
	 * {@link #INVOCATIONS_TIMEOUT} to finish, so that the next leader does not start a
	 * job while this instance still runs it; then every role resigns, in parallel, with
	 * one short attempt of at most {@link #RESIGN_TIMEOUT} in all (with etcd unreachable
	 * the keys go with the session's lease).
	 */
	@Override
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			this.running = false;
			this.invocations.awaitNone(INVOCATIONS_TIMEOUT);
			this.contenders.values().forEach(Contender::requestStop);
			Deadline deadline = Deadline.after(RESIGN_TIMEOUT);
			this.contenders.values().forEach((contender) -> contender.awaitStop(deadline));
		}
	}

	/**
	 * Stop on a thread of its own, so that the context stops other components meanwhile.
	 * @param callback told when stopped
	 */
	@Override
	public void stop(Runnable callback) {
		EtcdThreads.platform().thread("etcd-leader-roles-stop", () -> {
			try {
				stop();
			}
			finally {
				callback.run();
			}
		}).start();
	}

	/**
	 * Enter an {@link EtcdLeader @EtcdLeader} invocation of a role, if this instance
	 * leads it and is not stopping; {@link #exit()} must follow a {@code true}.
	 * @param role the role
	 * @return whether the invocation may run
	 */
	boolean enter(String role) {
		return this.invocations.enter(() -> this.running && isLeader(role));
	}

	/**
	 * End an invocation {@link #enter(String) entered}.
	 */
	void exit() {
		this.invocations.exit();
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

	/**
	 * The running invocations of {@code @EtcdLeader} methods: counted before the
	 * leadership is checked, so that a stop that turned the flag sees every invocation
	 * that passed the check.
	 */
	private static final class Invocations {

		private int running;

		boolean enter(BooleanSupplier allowed) {
			synchronized (this) {
				this.running++;
			}
			if (allowed.getAsBoolean()) {
				return true;
			}
			exit();
			return false;
		}

		synchronized void exit() {
			this.running--;
			if (this.running == 0) {
				notifyAll();
			}
		}

		synchronized void awaitNone(Duration timeout) {
			Deadline deadline = Deadline.after(timeout);
			try {
				while (this.running > 0) {
					long left = deadline.remainingNanos();
					if (left <= 0) {
						logger.warn(this.running + " @EtcdLeader invocation(s) still running after " + timeout
								+ "; resigning all the same");
						return;
					}
					wait(Math.max(1, left / 1_000_000));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
