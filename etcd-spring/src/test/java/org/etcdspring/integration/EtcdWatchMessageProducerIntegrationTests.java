package org.etcdspring.integration;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.etcdspring.EtcdOperations;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.Eventually;
import org.etcdspring.test.EtcdServerExtension;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.messaging.Message;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EtcdWatchMessageProducer} in an integration flow, against a real etcd
 * process.
 */
class EtcdWatchMessageProducerIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void eventsShouldArriveAsMessagesWithHeaders() throws Exception {
		EtcdTemplate template;
		QueueChannel channel;
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(
				IntegrationConfiguration.class)) {
			template = context.getBean(EtcdTemplate.class);
			channel = context.getBean("changes", QueueChannel.class);
			// The adapter's watch starts from "now": once etcd has created it
			Eventually.within(Duration.ofSeconds(10), () -> EtcdAdmin.watchers(etcd.endpoint()) >= 1);
			template.put("adapter/a", "1");
			template.put("adapter/a", "2");
			template.delete("adapter/a");
			Message<?> first = channel.receive(5000);
			Message<?> second = channel.receive(5000);
			Message<?> third = channel.receive(5000);
			assertThat(first.getPayload()).isEqualTo("1");
			assertThat(first.getHeaders()).containsEntry(EtcdHeaders.KEY, "adapter/a")
				.containsEntry(EtcdHeaders.EVENT_TYPE, WatchEvent.Type.PUT)
				.doesNotContainKey(EtcdHeaders.PREVIOUS_VALUE);
			assertThat(second.getHeaders()).containsEntry(EtcdHeaders.PREVIOUS_VALUE, "1");
			assertThat(third.getPayload()).isEqualTo("");
			assertThat(third.getHeaders()).containsEntry(EtcdHeaders.EVENT_TYPE, WatchEvent.Type.DELETE)
				.containsEntry(EtcdHeaders.PREVIOUS_VALUE, "2");
			assertThat((Long) third.getHeaders().get(EtcdHeaders.REVISION))
				.isGreaterThan((Long) second.getHeaders().get(EtcdHeaders.REVISION));
			context.getBean(EtcdWatchMessageProducer.class).stop();
			assertThat(template.getWatches().activeCount()).isZero();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableIntegration
	static class IntegrationConfiguration {

		@Bean(destroyMethod = "close")
		EtcdTransport etcdTransport() {
			return EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
		}

		@Bean
		EtcdTemplate etcdTemplate(EtcdTransport transport) {
			return new EtcdTemplate(transport);
		}

		@Bean
		QueueChannel changes() {
			return new QueueChannel();
		}

		@Bean
		EtcdWatchMessageProducer etcdWatchAdapter(EtcdOperations etcd, QueueChannel changes) {
			EtcdWatchMessageProducer producer = new EtcdWatchMessageProducer(etcd,
					WatchRequest.prefix("adapter/").withPrevKv());
			producer.setOutputChannel(changes);
			return producer;
		}

	}

}
