package org.etcdspring.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.FencedLock;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.leader.EtcdLeader;
import org.etcdspring.leader.EtcdLeaderAdvisingPostProcessor;
import org.etcdspring.leader.EtcdLeaderRoles;
import org.etcdspring.leader.Leadership;
import org.etcdspring.leader.ParticipantSession;
import org.etcdspring.lock.EtcdMutex;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The main class of a {@link ChildJvm} that holds a lock or leads a role with a short
 * lease, to be paused and resumed by a test. It prints state lines on stdout:
 * <ul>
 * <li>{@code HELD <fencing token>} / {@code READY}: the lock is held, the context
 * runs;</li>
 * <li>{@code RUN <epoch millis>}: the {@code @EtcdLeader} job ran (leader mode);</li>
 * <li>{@code RESUMED <gap millis> <held or leading>}: the first check, by a thread that
 * asks every few milliseconds, after a gap of over a second (the pause);</li>
 * </ul>
 * and answers commands read from stdin: {@code held}, {@code leader},
 * {@code fence <key> <value>} (a write guarded by {@code txn().ifHeld(lock)}, or in
 * leader mode by {@code txn().ifHeld(leadership)} with the leadership the job last ran
 * under), {@code exit}.
 * <p>
 * Arguments: {@code mutex <endpoint> <lock name> <ttl seconds>} or
 * {@code leader <endpoint> <ttl seconds>}.
 */
public final class PausableApplication {

	/**
	 * The role of the leader mode's job.
	 */
	public static final String ROLE = "paused-job";

	static volatile EtcdTemplate template;

	static volatile Duration ttl;

	static volatile @Nullable Leadership jobLeadership;

	private PausableApplication() {
	}

	public static void main(String[] args) throws Exception {
		EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(args[1]))).build();
		template = new EtcdTemplate(transport);
		if (args[0].equals("mutex")) {
			ttl = Duration.ofSeconds(Long.parseLong(args[3]));
			EtcdMutex mutex = template.lock(args[2]);
			mutex.lock(ttl);
			print("HELD " + mutex.fencingToken());
			watchForPause(mutex::isHeld);
			commands(mutex, null);
		}
		else {
			ttl = Duration.ofSeconds(Long.parseLong(args[2]));
			AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(LeaderApplication.class,
					Job.class);
			EtcdLeaderRoles roles = context.getBean(EtcdLeaderRoles.class);
			print("READY");
			watchForPause(() -> roles.isLeader(ROLE));
			commands(null, roles);
			context.close();
		}
		template.close();
		transport.close();
		System.exit(0);
	}

	private static void watchForPause(BooleanSupplier state) {
		Thread watcher = new Thread(() -> {
			long last = System.nanoTime();
			while (true) {
				long now = System.nanoTime();
				boolean value = state.getAsBoolean();
				long gapMillis = (now - last) / 1_000_000;
				if (gapMillis > 1000) {
					print("RESUMED " + gapMillis + " " + value);
				}
				last = now;
				try {
					Thread.sleep(2);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "pause-watcher");
		watcher.setDaemon(true);
		watcher.start();
	}

	private static void commands(EtcdMutex mutex, EtcdLeaderRoles roles) throws Exception {
		BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = reader.readLine()) != null) {
			String[] words = line.trim().split(" ");
			switch (words[0]) {
				case "held" -> print("ISHELD " + mutex.isHeld());
				case "leader" -> print("LEADER " + roles.isLeader(ROLE));
				case "fence" -> {
					// Leader mode: the leadership the job last ran under, as a job that
					// fences its writes holds it.
					FencedLock fence = (mutex != null) ? mutex : jobLeadership;
					if (fence == null) {
						print("FENCED none");
						continue;
					}
					try {
						print("FENCED " + template.txn()
							.ifHeld(fence)
							.then(TxnOp.put(words[1], words[2]))
							.commit()
							.succeeded());
					}
					catch (RuntimeException ex) {
						print("FENCED error " + ex);
					}
				}
				case "exit" -> {
					return;
				}
				default -> print("UNKNOWN " + line);
			}
		}
	}

	static synchronized void print(String line) {
		System.out.println(line);
		System.out.flush();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class LeaderApplication {

		@Bean(destroyMethod = "close")
		ParticipantSession participantSession() {
			return new ParticipantSession(template.leases(), ttl);
		}

		@Bean
		EtcdLeaderRoles etcdLeaderRoles(ParticipantSession participantSession) {
			return new EtcdLeaderRoles(template, participantSession, "child-" + ProcessHandle.current().pid());
		}

		@Bean
		static EtcdLeaderAdvisingPostProcessor etcdLeaderAdvisingPostProcessor(ObjectProvider<EtcdLeaderRoles> roles) {
			return new EtcdLeaderAdvisingPostProcessor(roles::getObject);
		}

	}

	static class Job {

		private final EtcdLeaderRoles roles;

		Job(EtcdLeaderRoles roles) {
			this.roles = roles;
		}

		@Scheduled(fixedRate = 100)
		@EtcdLeader(ROLE)
		public void run() {
			this.roles.leadership(ROLE).ifPresent((leadership) -> jobLeadership = leadership);
			print("RUN " + System.currentTimeMillis());
		}

	}

}
