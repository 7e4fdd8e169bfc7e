package org.etcdspring.aot;

import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.leader.Leadership;
import org.etcdspring.lock.EtcdMutex;
import org.etcdspring.test.EtcdServerExtension;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchRequest;

import org.springframework.aot.agent.RecordedInvocation;
import org.springframework.aot.agent.RuntimeHintsAgent;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.test.agent.RuntimeHintsInvocations;
import org.springframework.aot.test.agent.RuntimeHintsRecorder;
import org.springframework.beans.factory.aot.AotServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The closest check of the hints short of a native image: Spring's runtime hints agent
 * (attached by the build's {@code runtime-hints-agent} test execution) records every
 * reflective call Jackson and the library make while a transport and a template talk to a
 * real etcd (key/value, TTL, transactions, a lock, an election, a watch, cluster
 * questions), and each call on a type of the library must be covered by the hints that
 * the {@code aot.factories} registrars give.
 *
 * <p>
 * Spring Framework 7 deprecates the agent and its recorder for removal, in favour of
 * GraalVM's {@code -XX:MissingRegistrationReportingMode=Warn} (or {@code =ExitJVM}),
 * which reports missing hints from a running native image. Without {@code native-image}
 * on these machines nothing replaces the agent on the JVM, so it is kept, and its
 * deprecation warnings are silenced here only.
 *
 * @author etcd-spring
 */
@SuppressWarnings("removal")
class TransportRuntimeHintsAgentTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private static final RuntimeHints hints = new RuntimeHints();

	@BeforeAll
	static void applyAotFactories() {
		ClassLoader classLoader = TransportRuntimeHintsAgentTests.class.getClassLoader();
		AotServices.factories(classLoader)
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, classLoader));
	}

	@Test
	void theAgentRecordsThisJvm() {
		assertThat(RuntimeHintsAgent.isLoaded()).as("Spring's runtime hints agent attached by the build").isTrue();
	}

	@Test
	void everyReflectiveCallOnTheLibrarysTypesHasItsHint() {
		RuntimeHintsInvocations invocations = RuntimeHintsRecorder.record(TransportRuntimeHintsAgentTests::talkToEtcd);
		// Without any hints, the library's types are reflected upon: the recording saw
		// them
		assertThat(invocations).notMatching(new RuntimeHints())
			.filteredOn(TransportRuntimeHintsAgentTests::onLibraryType)
			.extracting(Object::toString)
			.anyMatch((invocation) -> invocation.contains("Kv.RangeResponse"))
			.anyMatch((invocation) -> invocation.contains("Lease.GrantResponse"));
		assertThat(invocations).notMatching(hints).filteredOn(TransportRuntimeHintsAgentTests::onLibraryType).isEmpty();
	}

	private static boolean onLibraryType(RecordedInvocation invocation) {
		return (!invocation.isStatic() && String.valueOf((Object) invocation.getInstance()).contains("org.etcdspring."))
				|| invocation.getArguments()
					.stream()
					.anyMatch((argument) -> String
						.valueOf((argument instanceof Class<?> type) ? type.getName() : argument)
						.startsWith("org.etcdspring."));
	}

	private static void talkToEtcd() {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
				EtcdTemplate template = new EtcdTemplate(transport)) {
			template.put("agent/a", "1");
			assertThat(template.get("agent/a")).isEqualTo("1");
			assertThat(template.getEntry("agent/a")).isNotNull();
			template.put("agent/ttl", "t", Duration.ofSeconds(30));
			assertThat(template.ttl("agent/ttl")).isPresent();
			assertThat(template.refresh("agent/ttl")).isTrue();
			assertThat(template.compareAndSet("agent/a", "1", "2")).isTrue();
			assertThat(template.getPrefix("agent/")).hasSize(2);
			template.put("agent/watched", "w");
			// From the put's revision: a watch from "now" could start after the put and
			// wait for ever
			long revision = template.getEntry("agent/watched").modRevision();
			try (Stream<WatchEvent> events = template
				.watchStream(WatchRequest.key("agent/watched").fromRevision(revision))) {
				Iterator<WatchEvent> iterator = events.iterator();
				assertThat(iterator.next().key()).isEqualTo("agent/watched");
			}
			EtcdMutex lock = template.lock("agent-lock");
			assertThat(lock.tryLock()).isTrue();
			lock.unlock();
			Optional<Leadership> leadership = template.election("agent-role").campaign("me", Duration.ofSeconds(10));
			assertThat(leadership).isPresent();
			leadership.get().resign();
			assertThat(template.cluster().version()).isNotNull();
			assertThat(template.cluster().members()).hasSize(1);
			assertThat(template.cluster().status()).isNotNull();
			assertThat(template.deletePrefix("agent/")).isPositive();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
