package org.etcdspring.boot.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.cluster.Member;
import org.etcdspring.core.EtcdAuthenticationException;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.transport.EtcdRequestObserver;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdCertificates;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.Etcdctl;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Credentials travel only over the channel configured, against a real etcd with TLS and
 * authentication, whose member also advertises a plain http client URL served by a rogue
 * server that records every request it gets. Neither that endpoint nor an http discovery
 * document may ever see the token or the password.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdCredentialsChannelIntegrationTests {

	private static final String ROOT_PASSWORD = "r00t-Channel-pw";

	private static EtcdCertificates certificates;

	private static RogueServer rogue;

	private static EtcdLocalCluster etcd;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class));

	@BeforeAll
	static void startEtcdWithTlsAuthenticationAndARogueEndpoint() throws Exception {
		certificates = EtcdCertificates.create();
		rogue = new RogueServer();
		etcd = EtcdLocalCluster.builder()
			.tls(certificates.etcdTls())
			.advertiseExtraClientUrls(List.of(rogue.url()))
			// etcd's gateway refuses password authentication together with
			// --client-cert-auth
			// ("CommonName of client sending a request against gateway will be ignored")
			.extraArgs(List.of("--auth-token-ttl", "2", "--client-cert-auth=false"))
			.start();
		Etcdctl etcdctl = Etcdctl.of(etcd);
		String[] tls = { "--cacert=" + certificates.file("ca.crt"), "--cert=" + certificates.file("client.crt"),
				"--key=" + certificates.file("client.key") };
		etcdctl.run(with(tls, "user", "add", "root:" + ROOT_PASSWORD));
		etcdctl.run(with(tls, "user", "grant-role", "root", "root"));
		etcdctl.run(with(tls, "auth", "enable"));
	}

	@AfterAll
	static void stop() throws Exception {
		try {
			if (etcd != null) {
				etcd.close();
			}
			if (rogue != null) {
				rogue.close();
			}
		}
		finally {
			if (certificates != null) {
				certificates.close();
			}
		}
	}

	@BeforeEach
	void forgetRequests() {
		rogue.requests.clear();
	}

	@Test
	void endpointAdvertisedOverPlainHttpShouldNeverReceiveTheTokenOrThePassword(CapturedOutput output) {
		this.contextRunner.withPropertyValues(credentials(bundle("etcd.peers=" + etcd.endpoint())))
			.withPropertyValues("etcd.request-timeout=5s")
			.run((context) -> {
				EtcdTemplate template = context.getBean(EtcdTemplate.class);
				template.put("channel/key", "over https");
				// The member does advertise the rogue URL: the setup is what the test
				// claims
				assertThat(template.cluster().members()).flatExtracting(Member::clientUrls)
					.contains(URI.create(rogue.url()), URI.create(etcd.endpoint()));
				assertThat(template.cluster().syncEndpoints()).containsExactly(URI.create(etcd.endpoint()));
				// Asked by name, the rogue endpoint still gets no token
				assertThatExceptionOfType(EtcdAuthenticationException.class)
					.isThrownBy(() -> template.cluster().status(URI.create(rogue.url())))
					.withMessageContaining("credentials are not sent to " + rogue.url());
				// Unanswered calls fail over to whatever the endpoints hold: the rogue
				// one must not be there
				etcd.member(0).pause();
				try {
					assertThatExceptionOfType(EtcdException.class).isThrownBy(() -> template.get("channel/key"));
				}
				finally {
					etcd.member(0).resume();
				}
				// An expired token is replaced, still over https
				Thread.sleep(3000);
				assertThat(template.get("channel/key")).isEqualTo("over https");
				assertThat(template.cluster().syncEndpoints()).containsExactly(URI.create(etcd.endpoint()));
			});
		assertThat(rogue.requests).isEmpty();
		assertThat(output).contains("etcd endpoints [" + rogue.url() + "] are not used").doesNotContain(ROOT_PASSWORD);
	}

	@Test
	void plainHttpDiscoveryDocumentShouldFailStartupBeforeAnyRequest() {
		this.contextRunner.withPropertyValues(credentials(bundle("etcd.discovery=" + rogue.url() + "/token")))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("etcd.discovery")
				.hasMessageContaining("plain http while credentials are set"));
		assertThat(rogue.requests).isEmpty();
	}

	@Test
	void httpsTokenDiscoveryShouldTrustTheBundlesCaAndSendItsClientCertificate(CapturedOutput output) throws Exception {
		String document = "{\"action\":\"get\",\"node\":{\"key\":\"/_etcd/registry/token\",\"dir\":true,\"nodes\":["
				+ "{\"key\":\"/_etcd/registry/token/1\",\"value\":\"m0=" + etcd.member(0).peerUrl() + "\"}]}}";
		try (DiscoveryService discovery = new DiscoveryService(document)) {
			this.contextRunner.withPropertyValues(credentials(bundle("etcd.discovery=" + discovery.url() + "/token")))
				.run((context) -> {
					EtcdTemplate template = context.getBean(EtcdTemplate.class);
					assertThat(template.cluster().endpoints()).containsExactly(URI.create(etcd.endpoint()));
					template.put("channel/discovered", "yes");
					assertThat(template.get("channel/discovered")).isEqualTo("yes");
				});
			assertThat(discovery.clientCertificates.get()).isEqualTo(1);
			// The bundle's options apply to discovery too: the service, like etcd,
			// offers no DHE suite, so a bundle that allows only one fails the handshake
			this.contextRunner.withPropertyValues(credentials(bundle("etcd.discovery=" + discovery.url() + "/token")))
				.withPropertyValues("spring.ssl.bundle.pem.etcd.options.enabled-protocols=TLSv1.2",
						"spring.ssl.bundle.pem.etcd.options.ciphers=TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.hasStackTraceContaining("etcd discovery through")
					.hasStackTraceContaining("TLS handshake failed"));
			assertThat(discovery.requests.get()).isEqualTo(1);
		}
		assertThat(rogue.requests).isEmpty();
		assertThat(output).contains("leaves out the plain http endpoints [" + rogue.url() + "]");
	}

	@Test
	void peersMixingHttpAndHttpsShouldFailStartupWithAClearMessage() {
		this.contextRunner.withPropertyValues(credentials(bundle("etcd.peers=" + etcd.endpoint() + "," + rogue.url())))
			.run((context) -> {
				assertThat(context).hasFailed();
				InvalidEtcdPeerException failure = findCause(context.getStartupFailure(),
						InvalidEtcdPeerException.class);
				FailureAnalysis analysis = new InvalidEtcdPeerFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("mix http and https").contains(rogue.url());
				assertThat(analysis.getAction()).contains("same scheme");
				assertThat(failure.getProperty()).isEqualTo("etcd.peers");
			});
		assertThat(rogue.requests).isEmpty();
	}

	@Test
	void peerWithUserInfoShouldFailStartupWithoutShowingIt() {
		String endpoint = etcd.endpoint().replace("https://", "https://root:" + ROOT_PASSWORD + "@");
		this.contextRunner.withPropertyValues(bundle("etcd.peers=" + endpoint)).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidEtcdPeerFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains(etcd.endpoint())
				.contains("set etcd.username and etcd.password instead")
				.doesNotContain(ROOT_PASSWORD)
				.doesNotContain("root:");
			assertThat(context.getStartupFailure()).hasStackTraceContaining("must not carry a user or password")
				.satisfies((failure) -> assertThat(stackTrace(failure)).doesNotContain(ROOT_PASSWORD));
		});
	}

	@Test
	void bundleCipherOptionsShouldApplyToEveryConnection() {
		// etcd (Go) offers no DHE suite: a bundle that allows only one must fail the
		// handshake
		this.contextRunner.withPropertyValues(bundle("etcd.peers=" + etcd.endpoint()))
			.withPropertyValues(credentials("spring.ssl.bundle.pem.etcd.options.enabled-protocols=TLSv1.2",
					"spring.ssl.bundle.pem.etcd.options.ciphers=TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"))
			.run((context) -> assertThatExceptionOfType(EtcdException.class)
				.isThrownBy(() -> context.getBean(EtcdTemplate.class).get("channel/key"))
				.withMessageContaining("TLS handshake failed"));
		this.contextRunner.withPropertyValues(bundle("etcd.peers=" + etcd.endpoint()))
			.withPropertyValues(credentials("spring.ssl.bundle.pem.etcd.options.enabled-protocols=TLSv1.2",
					"spring.ssl.bundle.pem.etcd.options.ciphers=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
			.run((context) -> context.getBean(EtcdTemplate.class).put("channel/cipher", "chosen"));
		// Options replace the TLS parameters, never the host name check: the certificate
		// names 127.0.0.1 only
		this.contextRunner.withPropertyValues(bundle("etcd.peers=" + etcd.endpoint().replace("127.0.0.1", "localhost")))
			.withPropertyValues(credentials("spring.ssl.bundle.pem.etcd.options.enabled-protocols=TLSv1.2",
					"spring.ssl.bundle.pem.etcd.options.ciphers=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
			.run((context) -> assertThatExceptionOfType(EtcdException.class)
				.isThrownBy(() -> context.getBean(EtcdTemplate.class).get("channel/cipher"))
				.withMessageContaining("TLS handshake failed"));
	}

	@Test
	void rejectedPasswordShouldBeRememberedSoConcurrentCallersFailFastWithinTheirDeadline() throws Exception {
		AtomicInteger authentications = new AtomicInteger();
		EtcdRequestObserver counting = new EtcdRequestObserver() {

			@Override
			public <R> R observe(String operation, @Nullable String key, Supplier<R> call) {
				if ("authenticate".equals(operation)) {
					authentications.incrementAndGet();
				}
				return call.get();
			}

		};
		// Long enough for one password check (a bcrypt) on a loaded machine
		Duration requestTimeout = Duration.ofSeconds(10);
		int callers = 32;
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint())))
			.sslContext(clientSslContext())
			.requestTimeout(requestTimeout)
			.credentials("root", "not-the-password")
			.requestObserver(counting)
			.batching(false)
			.build()) {
			EtcdTemplate template = new EtcdTemplate(transport);
			ExecutorService executor = Executors.newFixedThreadPool(callers);
			try {
				CountDownLatch start = new CountDownLatch(1);
				List<Future<Long>> calls = new ArrayList<>();
				for (int i = 0; i < callers; i++) {
					calls.add(executor.submit(() -> {
						start.await();
						long begin = System.nanoTime();
						assertThatExceptionOfType(EtcdAuthenticationException.class)
							.isThrownBy(() -> template.get("channel/key"))
							.withMessageContaining("authentication failed");
						return System.nanoTime() - begin;
					}));
				}
				start.countDown();
				for (Future<Long> call : calls) {
					// The bound of one call (one endpoint), with generous slack for a
					// loaded machine
					assertThat(Duration.ofNanos(call.get(60, TimeUnit.SECONDS)))
						.isLessThan(requestTimeout.plusSeconds(10));
				}
			}
			finally {
				executor.shutdownNow();
			}
		}
		// Before: one authenticate call (a bcrypt on the server) per caller, plus one
		assertThat(authentications.get()).isBetween(1, 4);
	}

	private static SSLContext clientSslContext() {
		return SslBundle
			.of(new PemSslStoreBundle(
					PemSslStoreDetails.forCertificate("file:" + certificates.file("client.crt"))
						.withPrivateKey("file:" + certificates.file("client.key")),
					PemSslStoreDetails.forCertificate("file:" + certificates.file("ca.crt"))))
			.createSslContext();
	}

	private static String[] bundle(String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.addAll(List.of("etcd.ssl.bundle=etcd",
				"spring.ssl.bundle.pem.etcd.keystore.certificate=file:" + certificates.file("client.crt"),
				"spring.ssl.bundle.pem.etcd.keystore.private-key=file:" + certificates.file("client.key"),
				"spring.ssl.bundle.pem.etcd.truststore.certificate=file:" + certificates.file("ca.crt")));
		return all.toArray(String[]::new);
	}

	private static String[] credentials(String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.addAll(List.of("etcd.username=root", "etcd.password=" + ROOT_PASSWORD));
		return all.toArray(String[]::new);
	}

	private static String[] with(String[] first, String... rest) {
		List<String> all = new ArrayList<>(List.of(first));
		all.addAll(List.of(rest));
		return all.toArray(String[]::new);
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in " + failure);
	}

	private static String stackTrace(Throwable failure) {
		java.io.StringWriter text = new java.io.StringWriter();
		failure.printStackTrace(new java.io.PrintWriter(text));
		return text.toString();
	}

	/**
	 * A plain http server that a member advertises as one of its client URLs: it records
	 * every request, headers and body, and answers nothing useful.
	 */
	private static final class RogueServer implements AutoCloseable {

		final List<String> requests = new CopyOnWriteArrayList<>();

		private final HttpServer server;

		RogueServer() throws IOException {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			this.server.createContext("/", this::record);
			this.server.start();
		}

		private void record(HttpExchange exchange) throws IOException {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
					+ exchange.getRequestHeaders() + " " + body);
			exchange.sendResponseHeaders(401, -1);
			exchange.close();
		}

		String url() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort();
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

	/**
	 * An https discovery service with the test CA's server certificate, which requires a
	 * client certificate signed by that CA.
	 */
	private static final class DiscoveryService implements AutoCloseable {

		final AtomicInteger clientCertificates = new AtomicInteger();

		final AtomicInteger requests = new AtomicInteger();

		private final HttpsServer server;

		DiscoveryService(String document) throws IOException {
			SSLContext sslContext = SslBundle
				.of(new PemSslStoreBundle(
						PemSslStoreDetails.forCertificate("file:" + certificates.file("server.crt"))
							.withPrivateKey("file:" + certificates.file("server.key")),
						PemSslStoreDetails.forCertificate("file:" + certificates.file("ca.crt"))))
				.createSslContext();
			this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			this.server.setHttpsConfigurator(new HttpsConfigurator(sslContext) {

				@Override
				public void configure(HttpsParameters params) {
					SSLParameters parameters = sslContext.getDefaultSSLParameters();
					parameters.setNeedClientAuth(true);
					// Like etcd (Go): no DHE suite
					parameters.setCipherSuites(Arrays.stream(parameters.getCipherSuites())
						.filter((suite) -> !suite.contains("_DHE_"))
						.toArray(String[]::new));
					params.setSSLParameters(parameters);
				}

			});
			this.server.createContext("/token", (exchange) -> {
				this.requests.incrementAndGet();
				if (exchange instanceof com.sun.net.httpserver.HttpsExchange https
						&& https.getSSLSession().getPeerCertificates().length > 0) {
					this.clientCertificates.incrementAndGet();
				}
				byte[] body = document.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
			});
			this.server.start();
		}

		String url() {
			return "https://127.0.0.1:" + this.server.getAddress().getPort();
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

}
