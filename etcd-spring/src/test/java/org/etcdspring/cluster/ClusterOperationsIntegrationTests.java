package org.etcdspring.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdUnavailableException;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ClusterOperations}, against a real 3-member etcd cluster.
 */
@Tag("wire-format")
class ClusterOperationsIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.cluster(3);

	private EtcdTransport transport;

	private ClusterOperations cluster;

	@BeforeEach
	void createTemplate() {
		this.transport = EtcdTransport.builder(uris(etcd.endpoints())).build();
		this.cluster = new EtcdTemplate(this.transport).cluster();
	}

	@AfterEach
	void closeTransport() {
		this.transport.close();
	}

	@Test
	void membersShouldListEveryMemberWithItsUrls() {
		List<Member> members = this.cluster.members();
		assertThat(members).extracting(Member::name).containsExactlyInAnyOrder("m0", "m1", "m2");
		for (EtcdMember expected : etcd.cluster().members()) {
			Member member = members.stream().filter((m) -> m.name().equals(expected.name())).findFirst().orElseThrow();
			assertThat(member.clientUrls()).containsExactly(URI.create(expected.clientEndpoint()));
			assertThat(member.peerUrls()).containsExactly(URI.create(expected.peerUrl()));
			assertThat(member.learner()).isFalse();
			assertThat(member.isStarted()).isTrue();
			assertThat(member.hexId()).isEqualTo(Long.toHexString(member.id())).isNotEqualTo("0");
		}
		assertThat(members).filteredOn(Member::leader).hasSize(1);
	}

	@Test
	void leaderShouldBeTheMemberThatEveryMemberNames() {
		Member leader = this.cluster.leader();
		assertThat(leader.leader()).isTrue();
		for (String endpoint : etcd.endpoints()) {
			MemberStatus status = this.cluster.status(URI.create(endpoint));
			assertThat(status.leaderId()).isEqualTo(leader.id());
			assertThat(status.isLeader()).isEqualTo(leader.clientUrls().contains(URI.create(endpoint)));
		}
	}

	@Test
	void statusShouldDescribeTheAskedMember() {
		List<Member> members = this.cluster.members();
		String version = this.cluster.version().server();
		for (String endpoint : etcd.endpoints()) {
			MemberStatus status = this.cluster.status(URI.create(endpoint));
			Member member = members.stream().filter((m) -> m.id() == status.memberId()).findFirst().orElseThrow();
			assertThat(member.clientUrls()).containsExactly(URI.create(endpoint));
			assertThat(status.version()).isEqualTo(version);
			assertThat(status.dbSize()).isPositive();
			assertThat(status.raftTerm()).isPositive();
			assertThat(status.raftIndex()).isPositive();
			assertThat(status.hasLeader()).isTrue();
			assertThat(status.errors()).isEmpty();
		}
		assertThat(this.cluster.status().version()).isEqualTo(version);
	}

	@Test
	void versionShouldNameTheServerAndClusterVersions() {
		EtcdVersion version = this.cluster.version();
		assertThat(version.server()).matches("3\\.\\d+\\.\\d+");
		assertThat(version.cluster()).matches("3\\.\\d+\\.0");
		assertThat(version.server()).startsWith(version.cluster().substring(0, version.cluster().length() - 1));
	}

	@Test
	void endpointsShouldBeTheListInUse() {
		assertThat(this.cluster.endpoints()).isEqualTo(this.transport.endpoints()).isEqualTo(uris(etcd.endpoints()));
	}

	@Test
	void addedLearnerShouldBeListedAsNotStartedAndLeftOutOfTheEndpoints() {
		String peerUrl = "http://127.0.0.1:" + (unusedPort());
		long id = Membership.add(etcd.endpoint(), peerUrl, true);
		try {
			Member learner = this.cluster.members().stream().filter((m) -> m.id() == id).findFirst().orElseThrow();
			assertThat(learner.learner()).isTrue();
			assertThat(learner.isStarted()).isFalse();
			assertThat(learner.name()).isEmpty();
			assertThat(learner.peerUrls()).containsExactly(URI.create(peerUrl));
			assertThat(learner.leader()).isFalse();
			assertThat(this.cluster.syncEndpoints()).containsExactlyInAnyOrderElementsOf(uris(etcd.endpoints()));
		}
		finally {
			Membership.remove(etcd.endpoint(), id);
		}
		assertThat(this.cluster.members()).extracting(Member::id).doesNotContain(id);
	}

	@Test
	void syncEndpointsShouldUseTheClientUrlsOfEveryMember() {
		try (EtcdTransport single = EtcdTransport.builder(uris(etcd.endpoints().subList(0, 1))).build()) {
			ClusterOperations cluster = new EtcdTemplate(single).cluster();
			assertThat(cluster.syncEndpoints()).containsExactlyInAnyOrderElementsOf(uris(etcd.endpoints()));
			assertThat(single.endpoints()).containsExactlyInAnyOrderElementsOf(uris(etcd.endpoints()));
			// The member in use stays in use
			assertThat(single.currentEndpoint()).isEqualTo(URI.create(etcd.endpoint()));
		}
	}

	@Test
	void syncEndpointsWhenNoMemberAnswersShouldFailAndKeepTheEndpoints() {
		List<URI> nowhere = List.of(URI.create("http://127.0.0.1:" + unusedPort()));
		try (EtcdTransport transport = EtcdTransport.builder(nowhere).requestTimeout(Duration.ofMillis(500)).build()) {
			ClusterOperations cluster = new EtcdTemplate(transport).cluster();
			assertThatExceptionOfType(EtcdUnavailableException.class).isThrownBy(cluster::syncEndpoints)
				.withMessageContaining("member list")
				.withMessageContaining(nowhere.get(0).toString());
			assertThat(transport.endpoints()).isEqualTo(nowhere);
		}
	}

	@Test
	void statusOfAnEndpointWhereNothingListensShouldFailThereWithoutFailover() {
		URI nowhere = URI.create("http://127.0.0.1:" + unusedPort());
		assertThatExceptionOfType(EtcdException.class).isThrownBy(() -> this.cluster.status(nowhere))
			.withMessageContaining("status")
			.withMessageContaining(nowhere.toString());
	}

	@Test
	void statusOfAMalformedEndpointShouldBeRejectedBeforeAnyCall() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.cluster.status(URI.create("ftp://127.0.0.1:2379")))
			.withMessageContaining("http:// or https://");
		assertThatIllegalArgumentException().isThrownBy(() -> this.cluster.status(null));
	}

	private static List<URI> uris(List<String> endpoints) {
		return endpoints.stream().map(URI::create).toList();
	}

	private static int unusedPort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
				java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
