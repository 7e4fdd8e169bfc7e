package org.etcdspring.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.EtcdMember;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Tests for {@link EndpointAutoSync}: members added to and removed from a real cluster
 * are picked up.
 */
@Tag("wire-format")
class EndpointAutoSyncTests {

	private static final Log logger = LogFactory.getLog(EndpointAutoSyncTests.class);

	private static final Duration INTERVAL = Duration.ofMillis(200);

	@Test
	void addedMemberShouldBeUsedOnceItHasStarted() {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(2);
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(cluster.endpoint()))).build();
				EndpointAutoSync autoSync = new EndpointAutoSync(new EtcdTemplate(transport).cluster(), INTERVAL)) {
			autoSync.start();
			awaitEndpoints(transport, uris(cluster.endpoints()));
			EtcdMember joining = cluster.prepareMember("m2");
			Membership.add(cluster.endpoint(), joining.peerUrl(), false);
			sleep(INTERVAL.multipliedBy(3));
			// Added but not started: it has no client URL to use yet
			assertThat(transport.endpoints()).doesNotContain(URI.create(joining.clientEndpoint()));
			cluster.startJoiningMember("m2");
			long started = System.nanoTime();
			awaitEndpoints(transport, uris(cluster.endpoints()));
			logger.info("Auto-sync picked up the added member " + (System.nanoTime() - started) / 1_000_000
					+ " ms after it was healthy (interval " + INTERVAL.toMillis() + " ms)");
			EtcdTemplate template = new EtcdTemplate(transport);
			template.put("autosync/added", "v");
			assertThat(template.get("autosync/added")).isEqualTo("v");
		}
	}

	@Test
	void removedMemberShouldNoLongerBeUsed() {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(3)) {
			// A follower, so that no election follows its removal; first in the list, to
			// show that calls move off it
			Member removed = follower(cluster);
			List<URI> others = uris(cluster.endpoints()).stream()
				.filter((endpoint) -> !removed.clientUrls().contains(endpoint))
				.toList();
			List<URI> endpoints = new ArrayList<>(removed.clientUrls());
			endpoints.addAll(others);
			try (EtcdTransport transport = EtcdTransport.builder(endpoints).build();
					EndpointAutoSync autoSync = new EndpointAutoSync(new EtcdTemplate(transport).cluster(), INTERVAL)) {
				autoSync.start();
				Membership.remove(others.get(0).toString(), removed.id());
				long removedAt = System.nanoTime();
				awaitEndpoints(transport, others);
				logger.info("Auto-sync dropped the removed member " + (System.nanoTime() - removedAt) / 1_000_000
						+ " ms after its removal (interval " + INTERVAL.toMillis() + " ms)");
				assertThat(transport.currentEndpoint()).isIn(others);
				EtcdTemplate template = new EtcdTemplate(transport);
				template.put("autosync/removed", "v");
				assertThat(template.get("autosync/removed")).isEqualTo("v");
			}
		}
	}

	@Test
	void stopShouldEndTheSyncThread() {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create("http://127.0.0.1:1")))
			.requestTimeout(Duration.ofMillis(200))
			.build()) {
			EndpointAutoSync autoSync = new EndpointAutoSync(new EtcdTemplate(transport).cluster(),
					Duration.ofMillis(50));
			autoSync.start();
			assertThat(autoSync.isRunning()).isTrue();
			await(() -> syncThreadAlive(), "the auto-sync thread to start");
			autoSync.stop();
			assertThat(autoSync.isRunning()).isFalse();
			await(() -> !syncThreadAlive(), "the auto-sync thread to end");
			// A failed sync (nothing listens) kept the endpoints
			assertThat(transport.endpoints()).containsExactly(URI.create("http://127.0.0.1:1"));
		}
	}

	private static boolean syncThreadAlive() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.anyMatch((thread) -> thread.getName().equals(EndpointAutoSync.THREAD_NAME) && thread.isAlive());
	}

	private static void awaitEndpoints(EtcdTransport transport, List<URI> expected) {
		await(() -> transport.endpoints().size() == expected.size() && transport.endpoints().containsAll(expected),
				"endpoints " + expected + ", have " + transport.endpoints());
	}

	private static Member follower(EtcdLocalCluster cluster) {
		try (EtcdTransport transport = EtcdTransport.builder(uris(cluster.endpoints())).build()) {
			return new EtcdTemplate(transport).cluster()
				.members()
				.stream()
				.filter((member) -> !member.leader())
				.findFirst()
				.orElseThrow();
		}
	}

	private static List<URI> uris(List<String> endpoints) {
		return endpoints.stream().map(URI::create).toList();
	}

	private static void await(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				fail("Waited 10 s for " + what);
			}
			sleep(Duration.ofMillis(20));
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
