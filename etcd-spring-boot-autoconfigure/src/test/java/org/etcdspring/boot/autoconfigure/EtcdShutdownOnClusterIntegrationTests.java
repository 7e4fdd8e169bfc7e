package org.etcdspring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.etcdspring.EtcdOperations;
import org.etcdspring.leader.EtcdLeaderRoles;
import org.etcdspring.lock.EtcdMutex;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing an application on a cluster of three members, all stopped with SIGSTOP, that
 * leads two roles and holds a lock on the shared session and three locks on sessions of
 * their own, with default properties: the revocations of the holds' own leases share one
 * short budget, so the close still ends within a few seconds, not a second per hold and
 * per endpoint.
 */
class EtcdShutdownOnClusterIntegrationTests {

	private static final Duration BOUND = Duration.ofSeconds(5);

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.cluster(3);

	@Test
	void closingWithEveryMemberUnreachableShouldTakeAtMostFiveSeconds() throws Exception {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		TestPropertyValues.of("etcd.peers=" + String.join(",", etcd.endpoints())).applyTo(context);
		context.register(EtcdShutdownIntegrationTests.Application.class);
		context.refresh();
		List<EtcdMember> members = etcd.cluster().members();
		try {
			EtcdLeaderRoles roles = context.getBean(EtcdLeaderRoles.class);
			long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!roles.getLeadingRoles().equals(Set.of("billing", "reports")) && System.nanoTime() < waitUntil) {
				Thread.sleep(50);
			}
			assertThat(roles.getLeadingRoles()).containsExactly("billing", "reports");
			EtcdOperations etcdOperations = context.getBean(EtcdOperations.class);
			etcdOperations.lock("held-on-the-shared-session").lock();
			for (String name : List.of("own-1", "own-2", "own-3")) {
				EtcdMutex lock = etcdOperations.lock(name);
				lock.lock(Duration.ofSeconds(30));
			}
			members.forEach(EtcdMember::pause);
			long start = System.nanoTime();
			context.close();
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(took).as("context close with every member unreachable").isLessThan(BOUND);
		}
		finally {
			members.forEach(EtcdMember::resume);
			context.close();
		}
	}

}
