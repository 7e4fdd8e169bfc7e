package org.etcdspring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.etcdspring.EtcdOperations;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.KeyValue;
import org.etcdspring.leader.EtcdLeader;
import org.etcdspring.leader.EtcdLeaderRoles;
import org.etcdspring.leader.Leader;
import org.etcdspring.leader.ParticipantSession;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EtcdLeaderAutoConfiguration}, against a real etcd process.
 */
class EtcdLeaderAutoConfigurationTests {

	private static final Duration TTL = Duration.ofSeconds(2);

	private static final Duration TTL_AND_A_SECOND = TTL.plusSeconds(1);

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdLeaderAutoConfiguration.class,
				AopAutoConfiguration.class))
		.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.leader.ttl=" + TTL.toSeconds() + "s");

	@Test
	void propertiesShouldShapeTheCampaigns() {
		this.contextRunner.withUserConfiguration(ReportsConfiguration.class)
			.withPropertyValues("etcd.leader.prefix=apps/leaders/", "etcd.leader.id=node-7")
			.run((context) -> {
				EtcdLeaderRoles roles = context.getBean(EtcdLeaderRoles.class);
				assertThat(roles.getId()).isEqualTo("node-7");
				assertThat(roles.getRoles()).containsExactly("reports");
				await(() -> roles.isLeader("reports"));
				EtcdTemplate template = context.getBean(EtcdTemplate.class);
				KeyValue key = template.getPrefix("apps/leaders/reports/").get(0);
				assertThat(key.valueAsString()).isEqualTo("node-7");
				assertThat(template.leases().timeToLive(key.lease(), false).orElseThrow().granted()).isEqualTo(TTL);
				assertThat(template.election("reports").leader()).map(Leader::key).contains(key.key());
			});
	}

	@Test
	void idShouldDefaultToHostAndPid() {
		this.contextRunner.run((context) -> assertThat(context.getBean(EtcdLeaderRoles.class).getId())
			.endsWith(":" + ProcessHandle.current().pid()));
	}

	@Test
	void etcdLeaderShouldWorkWithoutSpringIntegration() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.integration"))
			.withUserConfiguration(ReportsConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(EtcdLeaderInitiators.class);
				Reports reports = context.getBean(Reports.class);
				assertThat(reports.report()).isNull();
				await(() -> context.getBean(EtcdLeaderRoles.class).isLeader("reports"));
				assertThat(reports.report()).isEqualTo("report");
			});
	}

	@Test
	void candidateBeansShouldBeElectedAndTheirEventsPublished() {
		this.contextRunner.withUserConfiguration(CandidateConfiguration.class).run((context) -> {
			assertThat(context.getBean(EtcdLeaderInitiators.class).getInitiators()).hasSize(1);
			RecordingCandidate candidate = context.getBean(RecordingCandidate.class);
			await(() -> candidate.context != null && candidate.context.isLeader());
			await(() -> !candidate.events.isEmpty());
			assertThat(candidate.events).singleElement()
				.isInstanceOf(OnGrantedEvent.class)
				.extracting(AbstractLeaderEvent::getRole)
				.isEqualTo("indexer");
			assertThat(context.getBean(EtcdTemplate.class).election("indexer").leader()).map(Leader::value)
				.contains("indexer-1");
		});
	}

	@Test
	void userSessionShouldMakeTheAutoConfigurationBackOff() {
		this.contextRunner.withUserConfiguration(UserSessionConfiguration.class)
			.run((context) -> assertThat(context).getBean(ParticipantSession.class)
				.isSameAs(context.getBean("mySession")));
	}

	@Test
	void nonPositiveLeaderTtlShouldFailStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("etcd.leader.ttl=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("etcd.leader.ttl");
		});
	}

	@Test
	void finalLeaderMethodShouldFailStartupNamingTheBeanAndTheMethod() {
		this.contextRunner.withBean("finalReports", FinalReports.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("@EtcdLeader methods of bean 'finalReports'")
				.hasMessageContaining("FinalReports.report() (final)");
		});
	}

	@Test
	void scheduledLeaderMethodShouldRunInExactlyOneOfTwoApplications() {
		ApplicationContextRunner scheduling = this.contextRunner
			.withUserConfiguration(ScheduledReportsConfiguration.class);
		scheduling.withPropertyValues("etcd.leader.id=first").run((first) -> {
			scheduling.withPropertyValues("etcd.leader.id=second").run((second) -> {
				ScheduledReports firstReports = first.getBean(ScheduledReports.class);
				ScheduledReports secondReports = second.getBean(ScheduledReports.class);
				await(() -> firstReports.runs() + secondReports.runs() > 0);
				boolean firstLeads = firstReports.runs() > 0;
				ScheduledReports leader = firstLeads ? firstReports : secondReports;
				ScheduledReports follower = firstLeads ? secondReports : firstReports;
				int leaderRuns = leader.runs();
				Thread.sleep(1000);
				assertThat(leader.runs()).isGreaterThan(leaderRuns);
				assertThat(follower.runs()).isZero();
				// The leader's application stops: the other one takes over at once (it
				// resigned).
				ConfigurableApplicationContext leaderContext = firstLeads ? first : second;
				leaderContext.close();
				long closedAt = System.nanoTime();
				await(() -> follower.runs() > 0);
				System.out.println("@EtcdLeader method ran in the other application "
						+ Duration.ofNanos(System.nanoTime() - closedAt).toMillis() + " ms after the leader's closed");
			});
		});
	}

	private static void await(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TTL_AND_A_SECOND.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime() - deadline).as("condition met within " + TTL_AND_A_SECOND).isNegative();
			Thread.sleep(5);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ReportsConfiguration {

		@Bean
		Reports reports() {
			return new Reports();
		}

	}

	// Public: a class proxy through another class loader (FilteredClassLoader) sees
	// public members only.
	public static class Reports {

		@EtcdLeader("reports")
		public String report() {
			return "report";
		}

	}

	public static class FinalReports {

		@EtcdLeader("reports")
		public final String report() {
			return "report";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class ScheduledReportsConfiguration {

		@Bean
		ScheduledReports scheduledReports() {
			return new ScheduledReports();
		}

	}

	static class ScheduledReports {

		private final AtomicInteger runs = new AtomicInteger();

		@Scheduled(fixedDelay = 50)
		@EtcdLeader("scheduled-reports")
		void report() {
			this.runs.incrementAndGet();
		}

		int runs() {
			return this.runs.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSessionConfiguration {

		@Bean(destroyMethod = "close")
		ParticipantSession mySession(EtcdOperations etcd) {
			return new ParticipantSession(etcd.leases(), Duration.ofSeconds(30));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CandidateConfiguration {

		@Bean
		RecordingCandidate candidate() {
			return new RecordingCandidate();
		}

	}

	static class RecordingCandidate extends DefaultCandidate implements ApplicationListener<AbstractLeaderEvent> {

		final List<AbstractLeaderEvent> events = new CopyOnWriteArrayList<>();

		volatile Context context;

		RecordingCandidate() {
			super("indexer-1", "indexer");
		}

		@Override
		public void onGranted(Context ctx) {
			this.context = ctx;
		}

		@Override
		public void onApplicationEvent(AbstractLeaderEvent event) {
			this.events.add(event);
		}

	}

}
