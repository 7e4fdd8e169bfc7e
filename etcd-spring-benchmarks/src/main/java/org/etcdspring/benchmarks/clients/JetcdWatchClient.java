package org.etcdspring.benchmarks.clients;

import java.util.function.Consumer;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;

/**
 * {@link WatchClient} on jetcd's {@link Watch} client: one gRPC stream per watch, all on
 * jetcd's single HTTP/2 connection.
 *
 * @author etcd-spring
 */
final class JetcdWatchClient implements WatchClient {

	private static final WatchOption CREATE_NOTIFY = WatchOption.builder().withCreateNotify(true).build();

	private final Watch watch;

	JetcdWatchClient(Watch watch) {
		this.watch = watch;
	}

	@Override
	public Watching watch(String key, Consumer<byte[]> onPut) {
		Established established = new Established();
		Watch.Watcher watcher = this.watch.watch(JetcdKvClient.bytes(key), CREATE_NOTIFY, (response) -> {
			if (response.isCreatedNotify()) {
				established.value = true;
			}
			for (WatchEvent event : response.getEvents()) {
				if (event.getEventType() == WatchEvent.EventType.PUT) {
					onPut.accept(event.getKeyValue().getValue().getBytes());
				}
			}
		});
		return new Watching() {

			@Override
			public boolean isEstablished() {
				return established.value;
			}

			@Override
			public void close() {
				watcher.close();
			}

		};
	}

	private static final class Established {

		private volatile boolean value;

	}

}
