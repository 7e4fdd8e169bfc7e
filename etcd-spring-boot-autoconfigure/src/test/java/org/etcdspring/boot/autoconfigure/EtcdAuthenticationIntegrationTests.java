package org.etcdspring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdAuthenticationException;
import org.etcdspring.core.EtcdPermissionDeniedException;
import org.etcdspring.lease.Lease;
import org.etcdspring.lease.LeaseKeepAlive;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.Etcdctl;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.etcdspring.boot.autoconfigure.health.EtcdHealthContributorAutoConfiguration;
import org.etcdspring.boot.health.EtcdHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Authentication with {@code etcd.username} and {@code etcd.password}, against a real
 * etcd with authentication enabled: a root user and a reader whose role may only read
 * {@code /ro/}. Tokens live 2 s here, so expiry is exercised.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdAuthenticationIntegrationTests {

	private static final String ROOT_PASSWORD = "r00t-Secret-pw";

	private static final String READER_PASSWORD = "reader-Secret-pw";

	/** etcd's simple tokens: 16 letters, a dot, a number. */
	private static final Pattern SIMPLE_TOKEN = Pattern.compile("[a-zA-Z]{16}\\.\\d+");

	private static EtcdLocalCluster etcd;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class));

	@BeforeAll
	static void startEtcdWithAuthentication() {
		etcd = EtcdLocalCluster.builder().extraArgs(List.of("--auth-token-ttl", "2")).start();
		Etcdctl etcdctl = Etcdctl.of(etcd);
		etcdctl.run("user", "add", "root:" + ROOT_PASSWORD);
		etcdctl.run("user", "grant-role", "root", "root");
		etcdctl.run("user", "add", "reader:" + READER_PASSWORD);
		etcdctl.run("role", "add", "readonly");
		etcdctl.run("role", "grant-permission", "readonly", "read", "/ro/", "--prefix=true");
		etcdctl.run("user", "grant-role", "reader", "readonly");
		etcdctl.run("auth", "enable");
	}

	@AfterAll
	static void stop() {
		etcd.close();
	}

	@Test
	void readOnlyUserShouldReadButNotWrite(CapturedOutput output) {
		as("root", ROOT_PASSWORD).run((context) -> context.getBean(EtcdTemplate.class).put("/ro/key", "for readers"));
		as("reader", READER_PASSWORD).run((context) -> {
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			assertThat(template.get("/ro/key")).isEqualTo("for readers");
			assertThatExceptionOfType(EtcdPermissionDeniedException.class)
				.isThrownBy(() -> template.put("/ro/key", "changed"))
				.withMessageContaining("/ro/key")
				.withMessageContaining("permission denied");
			assertThatExceptionOfType(EtcdPermissionDeniedException.class).isThrownBy(() -> template.get("/rw/key"));
		});
		assertNoSecretsIn(output);
	}

	@Test
	void wrongPasswordShouldFailWithAnAuthenticationError(CapturedOutput output) {
		as("root", "not-the-password").run((context) -> assertThatExceptionOfType(EtcdAuthenticationException.class)
			.isThrownBy(() -> context.getBean(EtcdTemplate.class).get("/ro/key"))
			.withMessageContaining("authentication failed"));
		assertThat(output).doesNotContain("not-the-password");
	}

	@Test
	void wrongPasswordShouldMakeHealthDownWithTheReason() {
		as("root", "not-the-password")
			.withConfiguration(AutoConfigurations.of(EtcdHealthContributorAutoConfiguration.class))
			.run((context) -> {
				Health health = context.getBean(EtcdHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails().get("error").toString()).contains("EtcdAuthenticationException")
					.contains("authentication failed");
			});
	}

	@Test
	void withoutCredentialsCallsShouldBeRejected() {
		this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint())
			.run((context) -> assertThatExceptionOfType(EtcdAuthenticationException.class)
				.isThrownBy(() -> context.getBean(EtcdTemplate.class).get("/ro/key")));
	}

	@Test
	void expiredTokenShouldBeReplacedTransparently(CapturedOutput output) {
		as("root", ROOT_PASSWORD).run((context) -> {
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			template.put("/rw/expiry", "1");
			Thread.sleep(3500);
			template.put("/rw/expiry", "2");
			assertThat(template.get("/rw/expiry")).isEqualTo("2");
		});
		assertThat(output.toString().split("POST /v3/auth/authenticate", -1)).hasSizeGreaterThanOrEqualTo(3);
		assertNoSecretsIn(output);
	}

	@Test
	void watchesAndKeepAlivesShouldSurviveAServerRestartThatDropsEveryToken(CapturedOutput output) {
		as("root", ROOT_PASSWORD).run((context) -> {
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
			Lease lease = template.leases().grant(Duration.ofSeconds(3));
			try (Subscription subscription = template.watch("/rw/watched", events::add);
					LeaseKeepAlive keepAlive = template.leases().keepAlive(lease, (id, reason, cause) -> {
					})) {
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
				while (subscription.nextRevision() == 0 && System.nanoTime() < deadline) {
					Thread.sleep(10);
				}
				etcd.member(0).kill();
				etcd.member(0).restart();
				template.put("/rw/watched", "after restart");
				WatchEvent event = events.poll(10, TimeUnit.SECONDS);
				assertThat(event).isNotNull();
				assertThat(event.kv().valueAsString()).isEqualTo("after restart");
				Thread.sleep(3500);
				assertThat(keepAlive.isAlive()).isTrue();
				assertThat(template.leases().timeToLive(lease.id(), false)).isPresent();
			}
		});
		assertNoSecretsIn(output);
	}

	private ApplicationContextRunner as(String user, String password) {
		return this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.username=" + user,
				"etcd.password=" + password);
	}

	private static void assertNoSecretsIn(CapturedOutput output) {
		assertThat(output).contains("POST /v3/auth/authenticate")
			.doesNotContain(ROOT_PASSWORD)
			.doesNotContain(READER_PASSWORD)
			.doesNotContain("Authorization");
		assertThat(SIMPLE_TOKEN.matcher(output.toString()).find()).as("a token in the logs").isFalse();
	}

}
