package org.etcdspring.boot.testcontainers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.wait.strategy.HttpWaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategy;

import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What makes an {@link EtcdContainer} count as started: an HTTP check of etcd's own
 * {@code /health} on the client port that accepts only a 200 whose body says
 * {@code "health":"true"} (etcd says so once it has a leader), over https when the
 * container serves TLS; not an open port or a log line. Testcontainers keeps the check's
 * settings in private fields: they are read here by name, so a Testcontainers upgrade
 * that renames them fails this test instead of passing it unread.
 */
class EtcdContainerReadinessTests {

	@Test
	void startShouldWaitForHealthTrueOverHttp() {
		try (ReadinessInspector etcd = new ReadinessInspector()) {
			HttpWaitStrategy check = healthCheck(etcd.readinessCheck());
			assertThat(check).extracting("tlsEnabled", "allowInsecure").containsExactly(false, false);
		}
	}

	@Test
	void startShouldWaitForHealthTrueOverHttpsWithTls(@TempDir Path tls) throws IOException {
		// the files are only read when the container starts, which it does not here
		Path certificate = Files.createFile(tls.resolve("server.crt"));
		Path key = Files.createFile(tls.resolve("server.key"));
		Path ca = Files.createFile(tls.resolve("ca.crt"));
		try (ReadinessInspector etcd = new ReadinessInspector()) {
			etcd.withTls(certificate, key, ca);
			HttpWaitStrategy check = healthCheck(etcd.readinessCheck());
			// the probe only asks whether etcd is up; the clients verify the certificate
			assertThat(check).extracting("tlsEnabled", "allowInsecure").containsExactly(true, true);
		}
	}

	@SuppressWarnings("unchecked")
	private static HttpWaitStrategy healthCheck(WaitStrategy strategy) {
		assertThat(strategy).isInstanceOf(HttpWaitStrategy.class);
		HttpWaitStrategy check = (HttpWaitStrategy) strategy;
		assertThat(check).extracting("path", "method", "statusCodes", "livenessPort", "startupTimeout")
			.containsExactly("/health", "GET", Set.of(200), Optional.of(EtcdContainer.CLIENT_PORT),
					Duration.ofMinutes(2));
		Predicate<String> healthy = (Predicate<String>) ReflectionTestUtils.getField(check, "responsePredicate");
		assertThat(healthy).accepts("{\"health\":\"true\"}", "{\"health\":\"true\",\"reason\":\"\"}",
				"{\"health\": \"true\"}");
		assertThat(healthy).rejects("{\"health\":\"false\"}", "{\"health\":\"false\",\"reason\":\"RAFT NO LEADER\"}",
				"", "ok");
		return check;
	}

	/**
	 * Shows the container's wait strategy, which {@code GenericContainer} keeps to
	 * subclasses.
	 */
	static class ReadinessInspector extends EtcdContainer {

		ReadinessInspector() {
			super(EtcdTestImages.gcr(EtcdTestImages.newest()));
		}

		WaitStrategy readinessCheck() {
			return getWaitStrategy();
		}

	}

}
