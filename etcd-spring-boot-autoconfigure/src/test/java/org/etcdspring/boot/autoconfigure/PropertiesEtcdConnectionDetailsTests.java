package org.etcdspring.boot.autoconfigure;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the parsing of {@code etcd.peers} entries.
 */
class PropertiesEtcdConnectionDetailsTests {

	@Test
	void urlsShouldBeKeptAndShorthandShouldMeanHttp() {
		assertThat(PropertiesEtcdConnectionDetails
			.parsePeers(List.of("http://10.0.0.1:2379", "http://etcd.example:2379/", " etcd-2:2380 ", "[::1]:2379")))
			.containsExactly(URI.create("http://10.0.0.1:2379"), URI.create("http://etcd.example:2379"),
					URI.create("http://etcd-2:2380"), URI.create("http://[::1]:2379"));
		assertThat(PropertiesEtcdConnectionDetails.parsePeers(List.of("https://etcd.example:2379/")))
			.containsExactly(URI.create("https://etcd.example:2379"));
	}

	@Test
	void entriesMixingHttpAndHttpsShouldBeRejected() {
		assertThatExceptionOfType(InvalidEtcdPeerException.class)
			.isThrownBy(
					() -> PropertiesEtcdConnectionDetails.parsePeers(List.of("https://10.0.0.1:2379", "10.0.0.2:2379")))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("etcd.peers"))
			.withMessageContaining("https://10.0.0.1:2379,http://10.0.0.2:2379")
			.withMessageContaining("mix http and https");
	}

	@Test
	void entryWithUserInfoShouldBeRejectedWithoutShowingIt() {
		assertThatExceptionOfType(InvalidEtcdPeerException.class)
			.isThrownBy(() -> PropertiesEtcdConnectionDetails.parsePeers(List.of("https://root:rootpw@etcd:2379")))
			.satisfies((ex) -> assertThat(ex.getValue()).isEqualTo("https://etcd:2379"))
			.withMessageContaining("set etcd.username and etcd.password instead")
			.withMessageNotContaining("rootpw")
			.withMessageNotContaining("root:");
		// Whatever else is wrong with the entry
		assertThatExceptionOfType(InvalidEtcdPeerException.class)
			.isThrownBy(() -> PropertiesEtcdConnectionDetails.parsePeers(List.of("grpc://root:rootpw@etcd:2379")))
			.withMessageContaining("grpc://etcd:2379")
			.withMessageNotContaining("rootpw");
		assertThatExceptionOfType(InvalidEtcdPeerException.class)
			.isThrownBy(() -> PropertiesEtcdConnectionDetails.parsePeers(List.of("https://root:rootpw@etcd")))
			.withMessageNotContaining("rootpw");
		assertThatExceptionOfType(InvalidEtcdPeerException.class)
			.isThrownBy(() -> PropertiesEtcdConnectionDetails.parsePeers(List.of("root:rootpw@etcd:2379")))
			.satisfies((ex) -> assertThat(ex.getValue()).isEqualTo("etcd:2379"))
			.withMessageContaining("set etcd.username and etcd.password instead")
			.withMessageNotContaining("rootpw");
	}

	@Test
	void entryWithoutPortShouldBeRejected() {
		assertThatExceptionOfType(InvalidEtcdPeerException.class)
			.isThrownBy(() -> PropertiesEtcdConnectionDetails.parsePeers(List.of("http://etcd")))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("etcd.peers[0]"))
			.withMessageContaining("port");
	}

	@Test
	void otherSchemesShouldBeRejected() {
		assertThatExceptionOfType(InvalidEtcdPeerException.class)
			.isThrownBy(() -> PropertiesEtcdConnectionDetails.parsePeers(List.of("localhost:2379", "grpc://etcd:2379")))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("etcd.peers[1]"))
			.withMessageContaining("scheme");
	}

	@Test
	void garbageAndEmptyEntriesShouldBeRejected() {
		assertThatExceptionOfType(InvalidEtcdPeerException.class)
			.isThrownBy(() -> PropertiesEtcdConnectionDetails.parsePeers(List.of("not a url")));
		assertThatExceptionOfType(InvalidEtcdPeerException.class)
			.isThrownBy(() -> PropertiesEtcdConnectionDetails.parsePeers(List.of("")));
		assertThatExceptionOfType(InvalidEtcdPeerException.class)
			.isThrownBy(() -> PropertiesEtcdConnectionDetails.parsePeers(List.of()));
		assertThatExceptionOfType(InvalidEtcdPeerException.class)
			.isThrownBy(() -> PropertiesEtcdConnectionDetails.parsePeers(List.of("http://etcd:2379/v3")))
			.withMessageContaining("path");
	}

}
