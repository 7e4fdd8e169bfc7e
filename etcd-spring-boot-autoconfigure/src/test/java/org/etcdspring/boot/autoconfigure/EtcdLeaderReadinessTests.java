package org.etcdspring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.actuate.EtcdEndpoint;
import org.etcdspring.boot.autoconfigure.actuate.EtcdEndpointAutoConfiguration;
import org.etcdspring.core.KeyValue;
import org.etcdspring.leader.EtcdLeaderRoles;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EtcdLeaderReadiness}: two instances of an application on a real etcd;
 * the leader that stops accepting traffic hands its role over and campaigns again once
 * ready; an instance does not campaign before it accepts traffic for the first time.
 */
class EtcdLeaderReadinessTests {

	private static final Log logger = LogFactory.getLog(EtcdLeaderReadinessTests.class);

	private static final String PREFIX = "readiness/leader/";

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdLeaderAutoConfiguration.class,
				EtcdLeaderReadinessAutoConfiguration.class, EtcdEndpointAutoConfiguration.class))
		.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.leader.ttl=5s", "etcd.leader.prefix=" + PREFIX,
				"etcd.leader.follow-readiness=true", "management.endpoints.web.exposure.include=etcd");

	@Test
	void aLeaderThatRefusesTrafficShouldHandItsRoleOverAndCampaignAgainWhenReady() {
		this.contextRunner.withPropertyValues("etcd.leader.id=first").run((first) -> {
			EtcdLeaderRoles firstRoles = first.getBean(EtcdLeaderRoles.class);
			firstRoles.addRole("billing");
			AvailabilityChangeEvent.publish(first, ReadinessState.ACCEPTING_TRAFFIC);
			await(() -> firstRoles.isLeader("billing"), Duration.ofSeconds(10));
			this.contextRunner.withPropertyValues("etcd.leader.id=second").run((second) -> {
				EtcdLeaderRoles secondRoles = second.getBean(EtcdLeaderRoles.class);
				secondRoles.addRole("billing");
				AvailabilityChangeEvent.publish(second, ReadinessState.ACCEPTING_TRAFFIC);
				EtcdTemplate template = second.getBean(EtcdTemplate.class);
				await(() -> template.getPrefix(PREFIX + "billing/").size() == 2, Duration.ofSeconds(10));
				assertThat(secondRoles.isLeader("billing")).isFalse();
				EtcdEndpoint endpoint = first.getBean(EtcdEndpoint.class);
				assertThat(endpoint.etcd().notCampaigning()).isNull();

				long refused = System.nanoTime();
				AvailabilityChangeEvent.publish(first, ReadinessState.REFUSING_TRAFFIC);
				// The role is resigned by the time the event was handled (no @EtcdLeader
				// invocation runs): the leader key is gone from etcd when publish
				// returns.
				Duration resigned = Duration.ofNanos(System.nanoTime() - refused);
				assertThat(firstRoles.isLeader("billing")).isFalse();
				assertThat(campaignValues(template, "billing")).containsExactly("second");
				await(() -> secondRoles.isLeader("billing"), Duration.ofSeconds(5));
				logger.info(
						"Readiness handover: resigned in " + resigned.toMillis() + " ms, the other instance led after "
								+ Duration.ofNanos(System.nanoTime() - refused).toMillis() + " ms");
				assertThat(template.election("billing").leader().orElseThrow().value()).isEqualTo("second");
				// Not campaigning: only the second instance has a key, and the dashboard
				// says why.
				assertThat(template.getPrefix(PREFIX + "billing/")).hasSize(1);
				assertThat(endpoint.etcd().notCampaigning()).contains("REFUSING_TRAFFIC");
				Thread.sleep(1500);
				assertThat(template.getPrefix(PREFIX + "billing/")).hasSize(1);
				assertThat(firstRoles.isLeader("billing")).isFalse();

				AvailabilityChangeEvent.publish(first, ReadinessState.ACCEPTING_TRAFFIC);
				await(() -> template.getPrefix(PREFIX + "billing/").size() == 2, Duration.ofSeconds(10));
				assertThat(endpoint.etcd().notCampaigning()).isNull();
				assertThat(secondRoles.isLeader("billing")).isTrue();
				// It campaigns again: when the second instance stops being ready, the
				// first leads.
				AvailabilityChangeEvent.publish(second, ReadinessState.REFUSING_TRAFFIC);
				await(() -> firstRoles.isLeader("billing"), Duration.ofSeconds(5));
				assertThat(secondRoles.isLeader("billing")).isFalse();
			});
		});
	}

	@Test
	void springIntegrationCandidatesShouldFollowReadinessToo() {
		this.contextRunner
			.withBean("candidate", ContextCapturingCandidate.class, () -> new ContextCapturingCandidate("first"))
			.run((first) -> {
				ContextCapturingCandidate firstCandidate = first.getBean(ContextCapturingCandidate.class);
				AvailabilityChangeEvent.publish(first, ReadinessState.ACCEPTING_TRAFFIC);
				await(() -> firstCandidate.isLeading(), Duration.ofSeconds(10));
				this.contextRunner
					.withBean("candidate", ContextCapturingCandidate.class,
							() -> new ContextCapturingCandidate("second"))
					.run((second) -> {
						ContextCapturingCandidate secondCandidate = second.getBean(ContextCapturingCandidate.class);
						AvailabilityChangeEvent.publish(second, ReadinessState.ACCEPTING_TRAFFIC);
						EtcdTemplate template = second.getBean(EtcdTemplate.class);
						await(() -> template.getPrefix(PREFIX + "indexer/").size() == 2, Duration.ofSeconds(10));
						AvailabilityChangeEvent.publish(first, ReadinessState.REFUSING_TRAFFIC);
						assertThat(firstCandidate.isLeading()).isFalse();
						await(() -> secondCandidate.isLeading(), Duration.ofSeconds(5));
						assertThat(template.getPrefix(PREFIX + "indexer/")).hasSize(1);
						AvailabilityChangeEvent.publish(first, ReadinessState.ACCEPTING_TRAFFIC);
						await(() -> template.getPrefix(PREFIX + "indexer/").size() == 2, Duration.ofSeconds(10));
						assertThat(firstCandidate.isLeading()).isFalse();
					});
			});
	}

	@Test
	void anInstanceThatWasNeverReadyShouldNotCampaignUntilItAcceptsTraffic() {
		this.contextRunner.withPropertyValues("etcd.leader.id=starting")
			.withBean("candidate", ContextCapturingCandidate.class, () -> new ContextCapturingCandidate("starting"))
			.run((context) -> {
				EtcdLeaderRoles roles = context.getBean(EtcdLeaderRoles.class);
				roles.addRole("starting");
				ContextCapturingCandidate candidate = context.getBean(ContextCapturingCandidate.class);
				EtcdTemplate template = context.getBean(EtcdTemplate.class);
				EtcdEndpoint endpoint = context.getBean(EtcdEndpoint.class);
				// Started, with nobody else campaigning: it would lead within moments if
				// it campaigned.
				assertThat(context.getBean(EtcdLeaderReadiness.class).isRunning()).isTrue();
				Thread.sleep(2000);
				assertThat(template.getPrefix(PREFIX + "starting/")).isEmpty();
				assertThat(template.getPrefix(PREFIX + "indexer/")).isEmpty();
				assertThat(roles.isLeader("starting")).isFalse();
				assertThat(candidate.isLeading()).isFalse();
				assertThat(endpoint.etcd().notCampaigning()).isEqualTo("readiness has not been ACCEPTING_TRAFFIC yet");

				AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
				await(() -> roles.isLeader("starting"), Duration.ofSeconds(10));
				await(() -> candidate.isLeading(), Duration.ofSeconds(10));
				assertThat(template.getPrefix(PREFIX + "starting/")).hasSize(1);
				assertThat(endpoint.etcd().notCampaigning()).isNull();
			});
	}

	@Test
	void throughSpringApplicationTheInstanceShouldCampaignOnlyOnceReadyAndAContextRestartShouldNotBypassReadiness()
			throws Exception {
		SpringApplication application = new SpringApplication(BootApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run("--etcd.peers=" + etcd.endpoint(),
				"--etcd.leader.ttl=5s", "--etcd.leader.prefix=" + PREFIX, "--etcd.leader.follow-readiness=true",
				"--etcd.leader.id=booted")) {
			// The runner ran after the context started, before Spring Boot published
			// ACCEPTING_TRAFFIC: no campaign then.
			RunnerObservation whileRunning = context.getBean(CampaignCheckingRunner.class).observation;
			assertThat(whileRunning).isNotNull();
			assertThat(whileRunning.readiness()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
			assertThat(whileRunning.campaignValues()).isEmpty();
			assertThat(whileRunning.leader()).isFalse();
			assertThat(whileRunning.pauseReason()).isEqualTo(EtcdLeaderReadiness.NOT_READY_YET);
			EtcdLeaderRoles roles = context.getBean(EtcdLeaderRoles.class);
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			EtcdLeaderReadiness readiness = context.getBean(EtcdLeaderReadiness.class);
			// Ready: Spring Boot's own event started the campaign.
			assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
				.isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
			await(() -> roles.isLeader("boot"), Duration.ofSeconds(10));
			assertThat(campaignValues(template, "boot")).containsExactly("booted");

			// Stopped and started again while ready: it campaigns again.
			context.stop();
			assertThat(campaignValues(template, "boot")).isEmpty();
			context.start();
			await(() -> roles.isLeader("boot"), Duration.ofSeconds(10));

			// Refusing traffic, then stopped and started: the context starts every
			// lifecycle bean, but the campaigns stay stopped.
			AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
			assertThat(campaignValues(template, "boot")).isEmpty();
			context.stop();
			context.start();
			assertNotCampaigning(roles, template);
			assertThat(readiness.getPauseReason()).contains("REFUSING_TRAFFIC");
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			await(() -> roles.isLeader("boot"), Duration.ofSeconds(10));

			// Readiness lost while the context is stopped: the start does not campaign
			// either, and readiness regained does.
			context.stop();
			AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
			context.start();
			assertNotCampaigning(roles, template);
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			await(() -> roles.isLeader("boot"), Duration.ofSeconds(10));
			assertThat(campaignValues(template, "boot")).containsExactly("booted");
		}
	}

	private static void assertNotCampaigning(EtcdLeaderRoles roles, EtcdTemplate template) throws InterruptedException {
		// Alone in the election, a campaign would lead within moments.
		Thread.sleep(1500);
		assertThat(roles.isRunning()).isFalse();
		assertThat(roles.isLeader("boot")).isFalse();
		assertThat(campaignValues(template, "boot")).isEmpty();
	}

	@Test
	void withoutThePropertyReadinessShouldNotTouchLeadership() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdLeaderAutoConfiguration.class,
					EtcdLeaderReadinessAutoConfiguration.class))
			.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.leader.prefix=" + PREFIX + "off/")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(EtcdLeaderReadiness.class);
				EtcdLeaderRoles roles = context.getBean(EtcdLeaderRoles.class);
				roles.addRole("reports");
				await(() -> roles.isLeader("reports"), Duration.ofSeconds(10));
				AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
				assertThat(roles.isLeader("reports")).isTrue();
			});
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ApplicationAvailabilityAutoConfiguration.class, EtcdAutoConfiguration.class,
			EtcdLeaderAutoConfiguration.class, EtcdLeaderReadinessAutoConfiguration.class })
	static class BootApplication {

		@Bean
		SmartInitializingSingleton bootRole(EtcdLeaderRoles roles) {
			return () -> roles.addRole("boot");
		}

		@Bean
		CampaignCheckingRunner campaignCheckingRunner(EtcdLeaderRoles roles, EtcdTemplate template,
				ApplicationAvailability availability, EtcdLeaderReadiness readiness) {
			return new CampaignCheckingRunner(roles, template, availability, readiness);
		}

	}

	record RunnerObservation(ReadinessState readiness, List<String> campaignValues, boolean leader,
			@Nullable String pauseReason) {
	}

	static class CampaignCheckingRunner implements ApplicationRunner {

		private final EtcdLeaderRoles roles;

		private final EtcdTemplate template;

		private final ApplicationAvailability availability;

		private final EtcdLeaderReadiness readiness;

		volatile @Nullable RunnerObservation observation;

		CampaignCheckingRunner(EtcdLeaderRoles roles, EtcdTemplate template, ApplicationAvailability availability,
				EtcdLeaderReadiness readiness) {
			this.roles = roles;
			this.template = template;
			this.availability = availability;
			this.readiness = readiness;
		}

		@Override
		public void run(ApplicationArguments args) throws InterruptedException {
			// Alone in the election, a campaign started with the context would lead
			// within moments.
			Thread.sleep(1500);
			this.observation = new RunnerObservation(this.availability.getReadinessState(),
					campaignValues(this.template, "boot"), this.roles.isLeader("boot"),
					this.readiness.getPauseReason());
		}

	}

	static class ContextCapturingCandidate extends DefaultCandidate {

		private volatile @Nullable Context context;

		ContextCapturingCandidate(String id) {
			super(id, "indexer");
		}

		@Override
		public void onGranted(Context context) {
			this.context = context;
		}

		@Override
		public void onRevoked(Context context) {
			this.context = context;
		}

		boolean isLeading() {
			Context current = this.context;
			return current != null && current.isLeader();
		}

	}

	private static List<String> campaignValues(EtcdTemplate template, String role) {
		return template.getPrefix(PREFIX + role + "/").stream().map(KeyValue::valueAsString).toList();
	}

	private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met within " + timeout).isLessThan(deadline);
			Thread.sleep(50);
		}
	}

}
