package org.etcdspring.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Discovery through a discovery token URL, served by a local HTTP server in the etcd v2
 * format of {@code discovery.etcd.io}, whose members are the real members of a local
 * cluster.
 */
@Tag("wire-format")
class TokenDiscoveryTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.cluster(3);

	private static final String TOKEN = "/6d2a5dd4e2b1c0c4b3d6e0e1a2f3b4c5";

	private HttpServer server;

	private volatile int status = 200;

	private final AtomicInteger requests = new AtomicInteger();

	private volatile String document = "";

	@BeforeEach
	void startDiscoveryService() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext(TOKEN, (exchange) -> {
			this.requests.incrementAndGet();
			byte[] body = this.document.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(this.status, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.start();
	}

	@AfterEach
	void stopDiscoveryService() {
		this.server.stop(0);
	}

	@Test
	void tokenShouldFindTheClientUrlsOfEveryMember() {
		serve(registry(etcd.cluster().members().stream().map(TokenDiscoveryTests::entry).toList()));
		List<URI> endpoints = discover(tokenUrl());
		assertThat(endpoints).containsExactlyInAnyOrderElementsOf(etcd.endpoints().stream().map(URI::create).toList());
		try (EtcdTransport transport = EtcdTransport.builder(endpoints).build()) {
			EtcdTemplate template = new EtcdTemplate(transport);
			template.put("discovery/token", "found");
			assertThat(template.get("discovery/token")).isEqualTo("found");
		}
	}

	@Test
	void plainHttpTokenUrlShouldBeRefusedBeforeAnyRequestWhenCredentialsAreSet() {
		serve(registry(etcd.cluster().members().stream().map(TokenDiscoveryTests::entry).toList()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EtcdDiscovery.builder(tokenUrl()).credentials(true).build())
			.withMessageContaining("is plain http while credentials are set");
		assertThat(this.requests).hasValue(0);
		// Allowed explicitly, it is used; the members' client URLs are plain http too
		assertThat(
				EtcdDiscovery.builder(tokenUrl()).credentials(true).allowPlaintextCredentials(true).build().endpoints())
			.hasSize(3);
		assertThat(this.requests).hasValue(1);
	}

	@Test
	void tokenUrlWithUserInfoShouldBeRejectedWithoutShowingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EtcdDiscovery.builder("https://user:s3cret@discovery.example.com/token"))
			.withMessageContaining("must not carry user info")
			.withMessageNotContaining("s3cret");
	}

	@Test
	void peersThatDoNotAnswerShouldBeSkipped() {
		EtcdMember member = etcd.cluster().member(1);
		serve(registry(List.of(entryOf("gone", "http://127.0.0.1:" + unusedPort()), entry(member))));
		assertThat(discover(tokenUrl())).hasSize(3);
	}

	@Test
	void unknownTokenShouldFailNamingTheSourceAndTheAnswer() {
		this.status = 404;
		serve("{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/_etcd/registry/x\",\"index\":7}");
		assertThatExceptionOfType(EtcdDiscoveryException.class).isThrownBy(() -> discover(tokenUrl()))
			.withMessageContaining("etcd discovery through '" + tokenUrl() + "' failed")
			.withMessageContaining("could not be fetched")
			.withMessageContaining("Key not found")
			.satisfies((ex) -> assertThat(ex.getSource()).isEqualTo(tokenUrl()));
	}

	@Test
	void documentWithoutMembersShouldFailSayingWhatItHolds() {
		serve(registry(List.of("{\"key\":\"/_etcd/registry/x/_config\",\"dir\":true}",
				"{\"key\":\"/_etcd/registry/x/1\",\"value\":\"not-a-member\"}")));
		assertThatExceptionOfType(EtcdDiscoveryException.class).isThrownBy(() -> discover(tokenUrl()))
			.withMessageContaining("lists no member")
			.withMessageContaining("_config (a directory)")
			.withMessageContaining("'not-a-member'");
	}

	@Test
	void forgedKeysAndValuesInTheDocumentShouldYieldAOneLineMessage() {
		String forged = "\\n12:00:00.000 INFO  [main] o.e.Admin - password of root reset to x";
		serve("{\"action\":\"get\",\"node\":{\"key\":\"/_etcd/registry/x" + forged + "\",\"dir\":true,\"nodes\":["
				+ "{\"key\":\"/_etcd/registry/x/_config" + forged + "\",\"dir\":true},"
				+ "{\"key\":\"/_etcd/registry/x/1" + forged + "\",\"value\":\"not-a-member" + forged + "\"}]}}");
		assertThatExceptionOfType(EtcdDiscoveryException.class).isThrownBy(() -> discover(tokenUrl()))
			.withMessageContaining("lists no member")
			.withMessageContaining("/_etcd/registry/x\\n12:00:00.000 INFO")
			.withMessageContaining("'not-a-member\\n12:00:00.000 INFO")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\n", "\r"));
	}

	@Test
	void answerThatIsNotADocumentShouldFail() {
		serve("{\"hello\":\"world\"}");
		assertThatExceptionOfType(EtcdDiscoveryException.class).isThrownBy(() -> discover(tokenUrl()))
			.withMessageContaining("not a discovery document");
	}

	@Test
	void membersThatDoNotAnswerShouldFailNamingEachPeer() {
		String peer = "http://127.0.0.1:" + unusedPort();
		serve(registry(List.of(entryOf("m9", peer))));
		assertThatExceptionOfType(EtcdDiscoveryException.class)
			.isThrownBy(
					() -> EtcdDiscovery.builder(tokenUrl()).requestTimeout(Duration.ofSeconds(1)).build().endpoints())
			.withMessageContaining("none of the 1 member(s)")
			.withMessageContaining(peer);
	}

	@Test
	void unreachableDiscoveryServiceShouldFailNamingIt() {
		String nowhere = "http://127.0.0.1:" + unusedPort() + TOKEN;
		assertThatExceptionOfType(EtcdDiscoveryException.class).isThrownBy(() -> discover(nowhere))
			.withMessageContaining("etcd discovery through '" + nowhere + "' failed")
			.withMessageContaining("cannot connect");
	}

	@Test
	void malformedSourcesShouldBeRejectedBeforeAnyRequest() {
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdDiscovery.builder("ftp://discovery/token"))
			.withMessageContaining("discovery token URL");
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdDiscovery.builder("http://discovery.example.com/"))
			.withMessageContaining("discovery token URL");
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdDiscovery.builder("srv:"))
			.withMessageContaining("must name a DNS domain");
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdDiscovery.builder("srv:not a domain"));
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdDiscovery.builder(" "));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EtcdDiscovery.builder("srv:example.com").dnsServer("127.0.0.1:53/x"))
			.withMessageContaining("host:port");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EtcdDiscovery.builder(tokenUrl()).requestTimeout(Duration.ZERO));
	}

	private void serve(String document) {
		this.document = document;
	}

	private String tokenUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + TOKEN;
	}

	private static List<URI> discover(String source) {
		return EtcdDiscovery.builder(source).build().endpoints();
	}

	/**
	 * The document that {@code GET <token URL>} answers, in the etcd v2 key format.
	 */
	private static String registry(List<String> entries) {
		return "{\"action\":\"get\",\"node\":{\"key\":\"/_etcd/registry" + TOKEN + "\",\"dir\":true,\"nodes\":["
				+ entries.stream().collect(Collectors.joining(",")) + "],\"modifiedIndex\":4,\"createdIndex\":4}}";
	}

	private static String entry(EtcdMember member) {
		return entryOf(member.name(), member.peerUrl());
	}

	private static String entryOf(String name, String peerUrl) {
		return "{\"key\":\"/_etcd/registry" + TOKEN + "/" + Integer.toHexString(name.hashCode()) + "\",\"value\":\""
				+ name + "=" + peerUrl + "\",\"modifiedIndex\":5,\"createdIndex\":5}";
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
