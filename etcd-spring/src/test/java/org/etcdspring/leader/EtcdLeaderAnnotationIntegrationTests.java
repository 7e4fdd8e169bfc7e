package org.etcdspring.leader;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.etcdspring.support.Eventually;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.autoproxy.InfrastructureAdvisorAutoProxyCreator;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link EtcdLeader @EtcdLeader} methods in a plain Spring application
 * context (no Spring Boot, no Spring Integration involved) against a real etcd process.
 */
class EtcdLeaderAnnotationIntegrationTests extends SharedEtcdTemplate {

	@Test
	void methodsShouldRunOnlyWhileThisInstanceLeadsTheirRole() throws Exception {
		Election election = template.election("reports");
		Leadership other = election.campaign("other instance", Duration.ofSeconds(5)).orElseThrow();
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(
				LeaderConfiguration.class, Reports.class)) {
			Reports reports = context.getBean(Reports.class);
			EtcdLeaderRoles roles = context.getBean(EtcdLeaderRoles.class);
			assertThat(roles.getRoles()).containsExactly("reports");
			Eventually.within(Duration.ofSeconds(5), () -> template.getPrefix(election.keyPrefix()).size() == 2);
			assertThat(roles.getLeadingRoles()).isEmpty();
			assertThat(reports.text()).isNull();
			assertThat(reports.optional()).isEmpty();
			reports.run();
			assertThat(reports.runs()).isZero();
			assertThatExceptionOfType(EtcdNotLeaderException.class).isThrownBy(reports::strict)
				.withMessageContaining("role 'reports'")
				.withMessageContaining("Reports.strict")
				.satisfies((ex) -> assertThat(ex.getRole()).isEqualTo("reports"));
			assertThat(reports.unguarded()).isEqualTo("ran");
			other.resign();
			Eventually.within(Duration.ofSeconds(6), () -> roles.isLeader("reports"));
			assertThat(roles.getLeadingRoles()).containsExactly("reports");
			assertThat(election.leader()).map(Leader::value).contains("this instance");
			assertThat(reports.text()).isEqualTo("ran");
			assertThat(reports.optional()).contains("ran");
			reports.run();
			assertThat(reports.runs()).isEqualTo(1);
			assertThat(reports.strict()).isEqualTo("ran");
		}
		// Closing the context resigned the role and revoked the session.
		assertThat(election.leader()).isEmpty();
	}

	@Test
	void skippedMethodReturningAPrimitiveShouldFailAtStartUp() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> new AnnotationConfigApplicationContext(LeaderConfiguration.class, Counter.class))
			.havingRootCause()
			.withMessageContaining("Counter.count()")
			.withMessageContaining("onNotLeader = THROW");
	}

	@Test
	void roleWithSlashShouldFailAtStartUp() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> new AnnotationConfigApplicationContext(LeaderConfiguration.class, Nested.class))
			.havingRootCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("'billing/eu'");
	}

	@Configuration(proxyBeanMethods = false)
	static class LeaderConfiguration {

		@Bean(destroyMethod = "close")
		ParticipantSession participantSession() {
			return new ParticipantSession(template.leases(), Duration.ofSeconds(5));
		}

		@Bean
		EtcdLeaderRoles etcdLeaderRoles(ParticipantSession participantSession) {
			return new EtcdLeaderRoles(template, participantSession, "this instance");
		}

		@Bean
		static EtcdLeaderAnnotationBeanPostProcessor etcdLeaderAnnotationBeanPostProcessor(
				ObjectProvider<EtcdLeaderRoles> roles) {
			return new EtcdLeaderAnnotationBeanPostProcessor(roles::getObject);
		}

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static DefaultPointcutAdvisor etcdLeaderAdvisor(ObjectProvider<EtcdLeaderRoles> roles) {
			return new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, EtcdLeader.class, true),
					new EtcdLeaderInterceptor(roles::getObject));
		}

		@Bean
		static InfrastructureAdvisorAutoProxyCreator autoProxyCreator() {
			InfrastructureAdvisorAutoProxyCreator creator = new InfrastructureAdvisorAutoProxyCreator();
			creator.setProxyTargetClass(true);
			return creator;
		}

	}

	static class Reports {

		private final AtomicInteger runs = new AtomicInteger();

		@EtcdLeader("reports")
		String text() {
			return "ran";
		}

		@EtcdLeader("reports")
		Optional<String> optional() {
			return Optional.of("ran");
		}

		@EtcdLeader("reports")
		void run() {
			this.runs.incrementAndGet();
		}

		@EtcdLeader(value = "reports", onNotLeader = EtcdLeader.NotLeader.THROW)
		String strict() {
			return "ran";
		}

		String unguarded() {
			return "ran";
		}

		// Through the proxy: its own fields are not the target's.
		int runs() {
			return this.runs.get();
		}

	}

	static class Counter {

		@EtcdLeader("count")
		int count() {
			return 1;
		}

	}

	static class Nested {

		@EtcdLeader("billing/eu")
		void bill() {
		}

	}

}
