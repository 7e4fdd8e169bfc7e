package org.etcdspring.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.cluster.EndpointAutoSync;
import org.etcdspring.cluster.EtcdDiscoveryException;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the cluster features of {@link EtcdAutoConfiguration}: discovery through
 * {@code etcd.discovery} and endpoint auto-sync, against a real etcd process.
 */
class EtcdClusterAutoConfigurationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class));

	@Test
	void discoveryTokenShouldSupplyTheEndpoints() throws IOException {
		EtcdMember member = etcd.cluster().member(0);
		HttpServer server = discoveryService("/abc",
				"{\"action\":\"get\",\"node\":{\"key\":\"/_etcd/registry/abc\","
						+ "\"dir\":true,\"nodes\":[{\"key\":\"/_etcd/registry/abc/1\",\"value\":\"m0="
						+ member.peerUrl() + "\"}]}}");
		try {
			String token = "http://127.0.0.1:" + server.getAddress().getPort() + "/abc";
			// etcd.peers is ignored when etcd.discovery is set
			this.contextRunner.withPropertyValues("etcd.discovery=" + token, "etcd.peers=http://127.0.0.1:1")
				.run((context) -> {
					assertThat(context).hasSingleBean(DiscoveryEtcdConnectionDetails.class);
					assertThat(context.getBean(EtcdTransport.class).endpoints())
						.containsExactly(URI.create(etcd.endpoint()));
					EtcdTemplate template = context.getBean(EtcdTemplate.class);
					template.put("autoconfig/discovered", "v");
					assertThat(template.get("autoconfig/discovered")).isEqualTo("v");
				});
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void discoveryThatFindsNothingShouldFailStartupNamingTheSource() {
		String token = "http://127.0.0.1:" + unusedPort() + "/abc";
		this.contextRunner.withPropertyValues("etcd.discovery=" + token).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(discoveryFailure(context.getStartupFailure())).hasMessageContaining(token);
		});
	}

	@Test
	void discoveryDnsServerShouldBeAsked() throws IOException {
		try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			String dnsServer = "127.0.0.1:" + silent.getLocalPort();
			this.contextRunner
				.withPropertyValues("etcd.discovery=srv:example.test", "etcd.discovery-dns-server=" + dnsServer,
						"etcd.request-timeout=300ms")
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(discoveryFailure(context.getStartupFailure()))
						.hasMessageContaining("DNS server " + dnsServer);
				});
		}
	}

	@Test
	void malformedDiscoveryShouldFailStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("etcd.discovery=etcd.example.com:2379").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("etcd.discovery")
				.hasMessageContaining("srv:<domain>");
		});
	}

	@Test
	void malformedDiscoveryDnsServerShouldFailStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("etcd.discovery=srv:example.com", "etcd.discovery-dns-server=127.0.0.1:53/udp")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("etcd.discovery-dns-server");
			});
	}

	@Test
	void autoSyncIntervalShouldRunAutoSyncWhileTheContextRuns() {
		this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.auto-sync-interval=100ms")
			.run((context) -> {
				EndpointAutoSync autoSync = context.getBean(EndpointAutoSync.class);
				assertThat(autoSync.isRunning()).isTrue();
				context.close();
				assertThat(autoSync.isRunning()).isFalse();
			});
	}

	@Test
	void withoutAutoSyncIntervalShouldNotSync() {
		this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint())
			.run((context) -> assertThat(context).doesNotHaveBean(EndpointAutoSync.class));
	}

	@Test
	void nonPositiveAutoSyncIntervalShouldFailStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.auto-sync-interval=0s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("etcd.auto-sync-interval");
			});
	}

	private static EtcdDiscoveryException discoveryFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof EtcdDiscoveryException discoveryFailure) {
				return discoveryFailure;
			}
		}
		throw new AssertionError("Start-up failed without an EtcdDiscoveryException", failure);
	}

	private static HttpServer discoveryService(String path, String document) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext(path, (exchange) -> {
			byte[] body = document.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		return server;
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
