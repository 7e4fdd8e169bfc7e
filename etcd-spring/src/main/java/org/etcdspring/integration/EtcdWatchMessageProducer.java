package org.etcdspring.integration;

import org.jspecify.annotations.Nullable;

import org.etcdspring.EtcdOperations;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchRequest;

import org.springframework.integration.endpoint.MessageProducerSupport;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.Message;
import org.springframework.util.Assert;

/**
 * An inbound channel adapter that turns the events of an etcd watch into messages: the
 * payload is the new value as text (empty for a delete), with the key, revision, event
 * type and previous value in {@link EtcdHeaders headers}. The watch runs while the
 * adapter runs and resumes without loss after reconnects.
 *
 * <pre class="code">
 * &#64;Bean
 * EtcdWatchMessageProducer configChanges(EtcdOperations etcd, MessageChannel changes) {
 *     EtcdWatchMessageProducer producer = new EtcdWatchMessageProducer(etcd, WatchRequest.prefix("config/").withPrevKv());
 *     producer.setOutputChannel(changes);
 *     return producer;
 * }
 * </pre>
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdWatchMessageProducer extends MessageProducerSupport {

	private final EtcdOperations etcd;

	private final WatchRequest request;

	private volatile @Nullable Subscription subscription;

	public EtcdWatchMessageProducer(EtcdOperations etcd, WatchRequest request) {
		Assert.notNull(etcd, "'etcd' must not be null");
		Assert.notNull(request, "'request' must not be null");
		this.etcd = etcd;
		this.request = request;
	}

	@Override
	public String getComponentType() {
		return "etcd:inbound-channel-adapter";
	}

	@Override
	protected void doStart() {
		this.subscription = this.etcd.watch(this.request, (event) -> sendMessage(toMessage(event)));
	}

	@Override
	protected void doStop() {
		Subscription subscription = this.subscription;
		if (subscription != null) {
			subscription.close();
			this.subscription = null;
		}
	}

	private Message<String> toMessage(WatchEvent event) {
		String payload = (event.type() == WatchEvent.Type.PUT) ? event.kv().valueAsString() : "";
		MessageBuilder<String> message = MessageBuilder.withPayload(payload)
			.setHeader(EtcdHeaders.KEY, event.key())
			.setHeader(EtcdHeaders.REVISION, event.revision())
			.setHeader(EtcdHeaders.EVENT_TYPE, event.type());
		if (event.prevKv() != null) {
			message.setHeader(EtcdHeaders.PREVIOUS_VALUE, event.prevKv().valueAsString());
		}
		return message.build();
	}

}
