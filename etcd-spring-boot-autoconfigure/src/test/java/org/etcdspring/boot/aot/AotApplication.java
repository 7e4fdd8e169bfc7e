package org.etcdspring.boot.aot;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.leader.EtcdLeader;
import org.etcdspring.lock.EtcdLock;
import org.etcdspring.lock.HeldLock;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application that the AOT tests process and then run from the generated code: the
 * starter's auto-configuration with every bean kind the library post-processes (an
 * {@code @EtcdLock} method keyed on an argument, an {@code @EtcdLeader} method, a value
 * injected from an etcd config import).
 *
 * @author etcd-spring
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class AotApplication {

	static final String ROLE = "aot-report";

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
	 * Spring Integration's leader candidate, where Spring Integration is on the class
	 * path (the condition names the class, so that this class loads without it).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.integration.leader.Candidate")
	static class IntegrationConfiguration {

		@Bean
		AotCandidate aotCandidate() {
			return new AotCandidate();
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
