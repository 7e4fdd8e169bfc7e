package org.etcdspring.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.Cluster;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.EtcdServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member that advertises a client URL with user info
 * ({@code http://user:password@host:port}, etcd's {@code --advertise-client-urls} accepts
 * it): the user info is dropped from {@link Member}, and so from everything printed of
 * it.
 */
class AdvertisedUserInfoIntegrationTests {

	private static final String SECRET = "s3cret-advertised";

	private static final int EXTRA_PORT = unusedPort();

	private static final String EXTRA_URL = "http://127.0.0.1:" + EXTRA_PORT;

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.using(EtcdLocalCluster.builder()
		.advertiseExtraClientUrls(List.of(EXTRA_URL.replace("://", "://user:" + SECRET + "@"))));

	@Test
	void membersShouldShowAdvertisedUrlsWithoutUserInfo() {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build()) {
			EtcdTemplate template = new EtcdTemplate(transport);
			List<Member> members = template.cluster().members();
			// The member does advertise it: the setup is what the test claims.
			assertThat(members).singleElement()
				.satisfies((member) -> assertThat(member.clientUrls())
					.containsExactlyInAnyOrder(URI.create(etcd.endpoint()), URI.create(EXTRA_URL)))
				.satisfies((member) -> assertThat(member.toString()).doesNotContain(SECRET).doesNotContain("user:"));
			assertThat(template.cluster().leader().clientUrls())
				.allSatisfy((url) -> assertThat(url.getUserInfo()).isNull());
			assertThat(template.cluster().syncEndpoints()).contains(URI.create(EXTRA_URL))
				.allSatisfy((url) -> assertThat(url.getUserInfo()).isNull());
			template.close();
		}
	}

	@Test
	void membersShouldDropUserInfoFromEveryUrlTheyAdvertise() {
		Cluster.Member member = new Cluster.Member(1, "m0", List.of("https://user:" + SECRET + "@10.0.0.1:2380"),
				List.of("unix://user:" + SECRET + "@localhost:2379", "https://user:" + SECRET + "@10.0.0.1:2379/p?q"),
				true);
		List<Member> members = DefaultClusterOperations.toMembers(List.of(member), 0);
		assertThat(members).singleElement().satisfies((mapped) -> {
			assertThat(mapped.peerUrls()).containsExactly(URI.create("https://10.0.0.1:2380"));
			assertThat(mapped.clientUrls()).containsExactly(URI.create("unix://localhost:2379"),
					URI.create("https://10.0.0.1:2379/p?q"));
		});
		// What the message "etcd member list names no client URL to use" shows
		assertThat(members.toString()).doesNotContain(SECRET);
	}

	private static int unusedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
