package org.etcdspring.boot.aot;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdConnectionDetails;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;

import org.springframework.core.test.tools.CompileWithForkedClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AOT processing of the starter's auto-configuration, with Spring Integration on the
 * class path: the context is generated ahead of time and then started from the generated
 * code (AOT mode on the JVM), against a real etcd; with plain peers, with discovery, and
 * with a config import.
 *
 * @author etcd-spring
 */
@CompileWithForkedClassLoader
class EtcdAotTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	static String[] args(String... more) {
		List<String> args = new ArrayList<>(List.of("--spring.docker.compose.enabled=false",
				"--management.endpoints.web.exposure.include=*", "--etcd.leader.ttl=5s"));
		args.addAll(List.of(more));
		return args.toArray(String[]::new);
	}

	@Test
	void starterWithSpringIntegration() {
		AotProcessing.processAndRun(AotApplicationChecks::generatedHintsCoverTheLibrary, (context) -> {
			AotApplicationChecks.applicationWorksFromGeneratedCode(context);
			AotIntegrationChecks.integrationWorksFromGeneratedCode(context);
		}, args("--etcd.peers=" + etcd.endpoint()));
	}

	@Test
	void starterWithDiscovery() throws IOException {
		EtcdMember member = etcd.cluster().member(0);
		HttpServer discovery = discoveryService("/aot",
				"{\"action\":\"get\",\"node\":{\"key\":\"/_etcd/registry/aot\","
						+ "\"dir\":true,\"nodes\":[{\"key\":\"/_etcd/registry/aot/1\",\"value\":\"m0="
						+ member.peerUrl() + "\"}]}}");
		try {
			String token = "http://127.0.0.1:" + discovery.getAddress().getPort() + "/aot";
			AotProcessing.processAndRun(AotApplicationChecks::generatedHintsCoverTheLibrary, (context) -> {
				assertThat(context.getBean(EtcdConnectionDetails.class).getClass().getSimpleName())
					.isEqualTo("DiscoveryEtcdConnectionDetails");
				assertThat(context.getBean(EtcdTransport.class).endpoints())
					.containsExactly(URI.create(etcd.endpoint()));
				AotApplicationChecks.applicationWorksFromGeneratedCode(context);
			}, args("--etcd.discovery=" + token, "--etcd.peers=http://127.0.0.1:1"));
		}
		finally {
			discovery.stop(0);
		}
	}

	@Test
	void starterWithConfigImport() {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
				EtcdTemplate template = new EtcdTemplate(transport)) {
			template.put("/aot-config/aot/greeting", "hello from etcd");
			try {
				AotProcessing.processAndRun(AotApplicationChecks::generatedHintsCoverTheLibrary, (context) -> {
					assertThat(context.getEnvironment().getProperty("aot.greeting")).isEqualTo("hello from etcd");
					assertThat(context.getBean(AotApplication.Greeting.class).text()).isEqualTo("hello from etcd");
					AotApplicationChecks.applicationWorksFromGeneratedCode(context);
				}, args("--etcd.peers=" + etcd.endpoint(), "--spring.config.import=etcd:/aot-config/"));
			}
			finally {
				template.delete("/aot-config/aot/greeting");
			}
		}
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

}
