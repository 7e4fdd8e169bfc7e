package org.etcdspring.boot.aot;

import java.time.Duration;
import java.util.concurrent.locks.Lock;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.integration.EtcdHeaders;
import org.etcdspring.integration.EtcdMetadataStore;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.messaging.Message;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an AOT run of {@link AotApplication} with Spring Integration must show on top of
 * {@link AotApplicationChecks}: the library's Spring Integration pieces work from the
 * generated code. Apart from {@link AotApplicationChecks} so that the runs without Spring
 * Integration never load this class.
 *
 * @author etcd-spring
 */
final class AotIntegrationChecks {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private AotIntegrationChecks() {
	}

	static void integrationWorksFromGeneratedCode(ConfigurableApplicationContext context) {
		EtcdTemplate template = context.getBean(EtcdTemplate.class);
		LockRegistry<?> registry = context.getBean(LockRegistry.class);
		Lock lock = registry.obtain("aot-registry");
		assertThat(lock.tryLock()).isTrue();
		lock.unlock();
		AotCandidate candidate = context.getBean(AotCandidate.class);
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!candidate.isGranted() && System.nanoTime() < deadline) {
			AotApplicationChecks.sleep();
		}
		assertThat(candidate.isGranted()).as("Spring Integration candidate granted").isTrue();
		assertThat(template.election(AotCandidate.ROLE).leader()).isPresent();
		EtcdMetadataStore store = context.getBean(EtcdMetadataStore.class);
		store.put("offset", "1");
		assertThat(store.putIfAbsent("offset", "2")).isEqualTo("1");
		assertThat(store.replace("offset", "1", "3")).isTrue();
		assertThat(store.get("offset")).isEqualTo("3");
		assertThat(template.get(AotApplication.METADATA_PREFIX + "offset")).isEqualTo("3");
		assertThat(store.remove("offset")).isEqualTo("3");
		template.put(AotApplication.WATCHED_PREFIX + "greeting", "hello");
		QueueChannel watched = context.getBean("aotWatched", QueueChannel.class);
		Message<?> message = watched.receive(WAIT.toMillis());
		assertThat(message).as("a message from the watch within %s", WAIT).isNotNull();
		assertThat(message.getPayload()).isEqualTo("hello");
		assertThat(message.getHeaders().get(EtcdHeaders.KEY)).isEqualTo(AotApplication.WATCHED_PREFIX + "greeting");
		template.delete(AotApplication.WATCHED_PREFIX + "greeting");
	}

}
