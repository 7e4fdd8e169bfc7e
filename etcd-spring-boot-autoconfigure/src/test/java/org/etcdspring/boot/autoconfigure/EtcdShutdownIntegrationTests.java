package org.etcdspring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.etcdspring.EtcdOperations;
import org.etcdspring.boot.autoconfigure.lock.EtcdLockAutoConfiguration;
import org.etcdspring.leader.Election;
import org.etcdspring.leader.EtcdLeader;
import org.etcdspring.leader.EtcdLeaderInitiator;
import org.etcdspring.leader.EtcdLeaderRoles;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;
import org.etcdspring.test.Etcdctl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.leader.DefaultCandidate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing an application that leads two roles and holds a lock, with default properties,
 * while etcd does not answer (its only member stopped with SIGSTOP): the context must
 * close within a few seconds, not wait a request timeout per role and per lease.
 * Kubernetes kills a pod 30 s after asking it to stop. The same for Spring Integration
 * candidates, which with etcd up resign at once.
 */
class EtcdShutdownIntegrationTests {

	private static final Duration BOUND = Duration.ofSeconds(5);

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void closingWithEtcdUnreachableShouldTakeAtMostFiveSeconds() throws Exception {
		EtcdMember member = etcd.cluster().member(0);
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		TestPropertyValues.of("etcd.peers=" + etcd.endpoint()).applyTo(context);
		context.register(Application.class);
		context.refresh();
		try {
			EtcdLeaderRoles roles = context.getBean(EtcdLeaderRoles.class);
			long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!roles.getLeadingRoles().equals(Set.of("billing", "reports")) && System.nanoTime() < waitUntil) {
				Thread.sleep(50);
			}
			assertThat(roles.getLeadingRoles()).containsExactly("billing", "reports");
			context.getBean(EtcdOperations.class).lock("held").lock();
			assertClosesWithinBoundWhilePaused(context, member);
		}
		finally {
			member.resume();
			context.close();
		}
	}

	@Test
	void closingWithSpringIntegrationCandidatesAndEtcdUnreachableShouldTakeAtMostFiveSeconds() throws Exception {
		EtcdMember member = etcd.cluster().member(0);
		AnnotationConfigApplicationContext context = startCandidates();
		try {
			context.getBean(EtcdOperations.class).lock("held-by-candidates").lock();
			assertClosesWithinBoundWhilePaused(context, member);
		}
		finally {
			member.resume();
			context.close();
		}
	}

	private static void assertClosesWithinBoundWhilePaused(AnnotationConfigApplicationContext context,
			EtcdMember member) {
		member.pause();
		long start = System.nanoTime();
		context.close();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(took).as("context close with etcd unreachable").isLessThan(BOUND);
	}

	@Test
	void closingWithSpringIntegrationCandidatesAndEtcdUpShouldResignAtOnce() throws Exception {
		AnnotationConfigApplicationContext context = startCandidates();
		try {
			assertThat(electionKeys("indexer")).hasSize(1);
			assertThat(electionKeys("mailer")).hasSize(1);
		}
		finally {
			context.close();
		}
		// The default TTL is far longer than this: the keys are gone because they
		// resigned.
		assertThat(electionKeys("indexer")).isEmpty();
		assertThat(electionKeys("mailer")).isEmpty();
	}

	private static AnnotationConfigApplicationContext startCandidates() throws InterruptedException {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		TestPropertyValues.of("etcd.peers=" + etcd.endpoint()).applyTo(context);
		context.register(CandidatesApplication.class);
		context.refresh();
		List<EtcdLeaderInitiator> initiators = context.getBean(EtcdLeaderInitiators.class).getInitiators();
		assertThat(initiators).hasSize(2);
		long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!initiators.stream().allMatch((initiator) -> initiator.getContext().isLeader())
				&& System.nanoTime() < waitUntil) {
			Thread.sleep(50);
		}
		assertThat(initiators).allMatch((initiator) -> initiator.getContext().isLeader(), "leads its role");
		return context;
	}

	private static List<String> electionKeys(String role) {
		return Etcdctl.of(etcd.cluster())
			.run("get", "--prefix", "--keys-only", Election.DEFAULT_PREFIX + role + "/")
			.lines()
			.filter((line) -> !line.isBlank())
			.toList();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ EtcdAutoConfiguration.class, EtcdLockAutoConfiguration.class,
			EtcdLeaderAutoConfiguration.class })
	static class CandidatesApplication {

		@Bean
		DefaultCandidate indexer() {
			return new DefaultCandidate("shutdown-test", "indexer");
		}

		@Bean
		DefaultCandidate mailer() {
			return new DefaultCandidate("shutdown-test", "mailer");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, EtcdAutoConfiguration.class, EtcdLockAutoConfiguration.class,
			EtcdLeaderAutoConfiguration.class })
	static class Application {

		@Bean
		Jobs jobs() {
			return new Jobs();
		}

	}

	static class Jobs {

		@EtcdLeader("billing")
		public void bill() {
		}

		@EtcdLeader("reports")
		public void report() {
		}

	}

}
