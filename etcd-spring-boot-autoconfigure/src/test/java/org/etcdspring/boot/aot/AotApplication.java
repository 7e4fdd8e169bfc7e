package org.etcdspring.boot.aot;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.etcdspring.EtcdOperations;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.integration.EtcdMetadataStore;
import org.etcdspring.integration.EtcdWatchMessageProducer;
import org.etcdspring.leader.EtcdLeader;
import org.etcdspring.lock.EtcdLock;
import org.etcdspring.lock.HeldLock;
import org.etcdspring.watch.WatchRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.context.IntegrationContextUtils;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The application that the AOT tests process and then run from the generated code: the
 * starter's auto-configuration with every bean kind the library post-processes (an
 * {@code @EtcdLock} method keyed on an argument, an {@code @EtcdLeader} method, a value
 * injected from an etcd config import) and, with Spring Integration, the library's Spring
 * Integration pieces.
 *
 * @author etcd-spring
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class AotApplication {

	static final String ROLE = "aot-report";

	static final String METADATA_PREFIX = "/aot-metadata/";

	static final String WATCHED_PREFIX = "aot-watched/";

	@Bean
	Shipping shipping(EtcdTemplate etcd) {
		return new Shipping(etcd);
	}

	@Bean
	Report report() {
		return new Report();
	}

	@Bean
	Greeting greeting(@Value("${aot.greeting:none}") String text) {
		return new Greeting(text);
	}

	/**
	 * The Spring Integration pieces of the library, where Spring Integration is on the
	 * class path (the condition names the class, so that this class loads without it): a
	 * leader candidate (the starter gives it an initiator), a metadata store, and a watch
	 * turned into messages on a queue. The starter adds the lock registry.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.integration.leader.Candidate")
	@EnableIntegration
	static class IntegrationConfiguration {

		/**
		 * The scheduler that Boot's Spring Integration auto-configuration would give (it
		 * is not on this class path): the one {@code @EnableIntegration} registers by
		 * itself holds a rejection policy instance, which AOT cannot write as code.
		 */
		@Bean(name = IntegrationContextUtils.TASK_SCHEDULER_BEAN_NAME)
		ThreadPoolTaskScheduler taskScheduler() {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setThreadNamePrefix("aot-integration-");
			return scheduler;
		}

		@Bean
		AotCandidate aotCandidate() {
			return new AotCandidate();
		}

		@Bean
		EtcdMetadataStore aotMetadataStore(EtcdOperations etcd) {
			return new EtcdMetadataStore(etcd, METADATA_PREFIX);
		}

		@Bean
		QueueChannel aotWatched() {
			return new QueueChannel();
		}

		@Bean
		EtcdWatchMessageProducer aotWatchProducer(EtcdOperations etcd, QueueChannel aotWatched) {
			// From the first revision: the watch sees a put made before it was in place
			EtcdWatchMessageProducer producer = new EtcdWatchMessageProducer(etcd,
					WatchRequest.prefix(WATCHED_PREFIX).fromRevision(1));
			producer.setOutputChannel(aotWatched);
			return producer;
		}

	}

	record Order(long id, String customer) {
	}

	record Greeting(String text) {
	}

	static class Shipping {

		private final EtcdTemplate etcd;

		Shipping(EtcdTemplate etcd) {
			this.etcd = etcd;
		}

		/**
		 * @return the names of the locks held while the method runs
		 */
		@EtcdLock(key = "'aot-order-' + #order.id", waitTime = "5s")
		public List<String> ship(Order order) {
			return this.etcd.locks().heldLocks().stream().map(HeldLock::name).toList();
		}

	}

	static class Report {

		private final AtomicInteger runs = new AtomicInteger();

		@EtcdLeader(ROLE)
		public void run() {
			this.runs.incrementAndGet();
		}

		/**
		 * @return how often {@link #run()} ran (read through the proxy, not its fields)
		 */
		public int runs() {
			return this.runs.get();
		}

	}

}
