package org.etcdspring.cluster;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Discovery through DNS SRV records served by a local {@code dnsmasq} on a loopback port,
 * whose http records point at the members of a real local cluster.
 */
class DnsSrvDiscoveryTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.cluster(3);

	private static LocalDnsServer dns;

	@BeforeAll
	static void startDnsServer() {
		List<String> records = new ArrayList<>();
		// Priorities 20, 0, 10 in member order: discovery must sort them m1, m2, m0
		int[] priorities = { 20, 0, 10 };
		for (int i = 0; i < 3; i++) {
			URI endpoint = URI.create(etcd.endpoints().get(i));
			records.add("_etcd-client._tcp.cluster.test,127.0.0.1," + endpoint.getPort() + "," + priorities[i] + ",10");
		}
		records.add("_etcd-client-ssl._tcp.mixed.test,127.0.0.1,2379,0,10");
		records.add("_etcd-client._tcp.mixed.test,127.0.0.1,2380,0,10");
		records.add("_other._tcp.nothing.test,127.0.0.1,2379,0,10");
		dns = LocalDnsServer.start(records);
	}

	@AfterAll
	static void stopDnsServer() {
		if (dns != null) {
			dns.close();
		}
	}

	@Test
	void srvRecordsShouldGiveTheHttpEndpointsByPriority() {
		List<URI> endpoints = discover("srv:cluster.test", dns.address());
		List<String> members = etcd.endpoints();
		assertThat(endpoints).containsExactly(URI.create(members.get(1)), URI.create(members.get(2)),
				URI.create(members.get(0)));
		try (EtcdTransport transport = EtcdTransport.builder(endpoints).build()) {
			EtcdTemplate template = new EtcdTemplate(transport);
			template.put("discovery/srv", "found");
			assertThat(template.get("discovery/srv")).isEqualTo("found");
			assertThat(template.cluster().members()).hasSize(3);
		}
	}

	@Test
	void sslRecordsShouldBeUsedAloneNeverMergedWithHttpOnes() {
		assertThat(discover("srv:mixed.test.", dns.address())).containsExactly(URI.create("https://127.0.0.1:2379"));
	}

	@Test
	void httpRecordsWithCredentialsShouldFailSayingWhy() {
		assertThatExceptionOfType(EtcdDiscoveryException.class)
			.isThrownBy(() -> EtcdDiscovery.builder("srv:cluster.test")
				.dnsServer(dns.address())
				.credentials(true)
				.build()
				.endpoints())
			.withMessageContaining("found only plain http client URLs")
			.withMessageContaining("in plain text");
	}

	@Test
	void httpRecordsWithCredentialsShouldBeUsedWhenPlaintextCredentialsAreAllowed() {
		assertThat(EtcdDiscovery.builder("srv:cluster.test")
			.dnsServer(dns.address())
			.credentials(true)
			.allowPlaintextCredentials(true)
			.build()
			.endpoints()).hasSize(3).allMatch((endpoint) -> "http".equals(endpoint.getScheme()));
	}

	@Test
	void domainWithoutEtcdRecordsShouldFailNamingBothNames() {
		assertThatExceptionOfType(EtcdDiscoveryException.class)
			.isThrownBy(() -> discover("srv:nothing.test", dns.address()))
			.withMessageContaining("etcd discovery through 'srv:nothing.test' failed")
			.withMessageContaining("_etcd-client-ssl._tcp.nothing.test: name not found")
			.withMessageContaining("_etcd-client._tcp.nothing.test: name not found")
			.withMessageContaining("DNS server " + dns.address());
	}

	@Test
	void dnsServerThatDoesNotAnswerShouldFailWithinTheTimeout() throws IOException {
		try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			String address = "127.0.0.1:" + silent.getLocalPort();
			long start = System.nanoTime();
			assertThatExceptionOfType(EtcdDiscoveryException.class)
				.isThrownBy(() -> EtcdDiscovery.builder("srv:cluster.test")
					.dnsServer(address)
					.requestTimeout(Duration.ofSeconds(1))
					.build()
					.endpoints())
				.withMessageContaining(
						"the DNS lookup of _etcd-client-ssl._tcp.cluster.test failed on DNS server " + address);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		}
	}

	private static List<URI> discover(String source, String dnsServer) {
		return EtcdDiscovery.builder(source).dnsServer(dnsServer).build().endpoints();
	}

}
