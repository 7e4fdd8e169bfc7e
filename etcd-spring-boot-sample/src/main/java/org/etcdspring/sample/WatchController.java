package org.etcdspring.sample;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdOperations;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchListener;
import org.etcdspring.watch.WatchRequest;

import org.springframework.context.SmartLifecycle;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams the changes under a prefix to the browser as Server-Sent Events:
 * {@code GET /watch?prefix=greet}.
 *
 * @author etcd-spring
 */
@RestController
class WatchController implements SmartLifecycle {

	private final EtcdOperations etcd;

	private final Set<SseEmitter> emitters = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	WatchController(EtcdOperations etcd) {
		this.etcd = etcd;
	}

	@GetMapping("/watch")
	SseEmitter watch(@RequestParam String prefix) {
		// No server-side timeout: the stream lasts until the browser goes away or the app stops.
		SseEmitter emitter = new SseEmitter(0L);
		Subscription subscription = this.etcd.watch(WatchRequest.prefix(prefix).withPrevKv(),
				new ForwardingListener(emitter));
		this.emitters.add(emitter);
		emitter.onCompletion(() -> {
			this.emitters.remove(emitter);
			subscription.close();
		});
		emitter.onError((ex) -> subscription.close());
		return emitter;
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Ends the open streams first, so that the web server's graceful shutdown does not
	 * wait for them.
	 */
	@Override
	public void stop() {
		this.emitters.forEach(SseEmitter::complete);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private record ForwardingListener(SseEmitter emitter) implements WatchListener {

		@Override
		public void onEvent(WatchEvent event) {
			try {
				this.emitter.send(SseEmitter.event()
					.name(event.type().name().toLowerCase())
					.id(String.valueOf(event.revision()))
					.data(Map.of("key", event.key(), "value", event.kv().valueAsString(), "revision",
							event.revision())));
			}
			catch (IOException | IllegalStateException ex) {
				// The browser went away: completing the emitter closes the watch.
				this.emitter.completeWithError(ex);
			}
		}

		@Override
		public void onError(EtcdException error) {
			this.emitter.completeWithError(error);
		}

	}

}
