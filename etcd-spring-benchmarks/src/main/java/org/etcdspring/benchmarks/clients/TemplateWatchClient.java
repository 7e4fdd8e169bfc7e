package org.etcdspring.benchmarks.clients;

import java.util.function.Consumer;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;

/**
 * {@link WatchClient} on {@link EtcdTemplate#watch}: watches opened together share a
 * streaming HTTP request.
 *
 * @author etcd-spring
 */
final class TemplateWatchClient implements WatchClient {

	private final EtcdTemplate template;

	TemplateWatchClient(EtcdTemplate template) {
		this.template = template;
	}

	@Override
	public Watching watch(String key, Consumer<byte[]> onPut) {
		Subscription subscription = this.template.watch(key, (event) -> {
			if (event.type() == WatchEvent.Type.PUT) {
				onPut.accept(event.kv().value());
			}
		});
		return new Watching() {

			@Override
			public boolean isEstablished() {
				// The resume point is set when the server confirms the watch.
				return subscription.nextRevision() > 0;
			}

			@Override
			public void close() {
				subscription.close();
			}

		};
	}

}
