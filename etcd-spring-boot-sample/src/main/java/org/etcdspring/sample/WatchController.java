package org.etcdspring.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import org.etcdspring.EtcdOperations;
import org.etcdspring.core.EtcdException;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchListener;
import org.etcdspring.watch.WatchRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams the changes under a prefix to the browser as Server-Sent Events:
 * {@code GET /watch?prefix=greet}. The server only learns that the browser went away when
 * a write fails, so each stream also sends a comment line every
 * {@code sample.watch.heartbeat} (5 s): the watch closes within a few of them once the
 * client is gone, whether or not the prefix changes.
 *
 * @author etcd-spring
 */
@RestController
class WatchController implements SmartLifecycle {

	private final EtcdOperations etcd;

	private final TaskScheduler scheduler;

	private final Duration heartbeat;

	private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	WatchController(EtcdOperations etcd, TaskScheduler scheduler,
			@Value("${sample.watch.heartbeat:5s}") Duration heartbeat) {
		this.etcd = etcd;
		this.scheduler = scheduler;
		this.heartbeat = heartbeat;
	}

	@GetMapping("/watch")
	SseEmitter watch(@RequestParam String prefix) {
		// No server-side timeout: the stream lasts until the browser goes away or the app
		// stops.
		EventStream stream = new EventStream(new SseEmitter(0L));
		this.streams.add(stream);
		stream.start(prefix);
		return stream.emitter;
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
		this.streams.forEach(EventStream::complete);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * One browser's stream: its emitter, its watch and its heartbeat, closed together
	 * whichever way the stream ends.
	 */
	private final class EventStream implements WatchListener {

		private final SseEmitter emitter;

		private volatile @Nullable Subscription subscription;

		private volatile @Nullable ScheduledFuture<?> heartbeats;

		private final AtomicBoolean closed = new AtomicBoolean();

		EventStream(SseEmitter emitter) {
			this.emitter = emitter;
		}

		void start(String prefix) {
			this.emitter.onCompletion(this::close);
			this.emitter.onError((ex) -> close());
			this.emitter.onTimeout(this::close);
			this.subscription = WatchController.this.etcd.watch(WatchRequest.prefix(prefix).withPrevKv(), this);
			this.heartbeats = WatchController.this.scheduler.scheduleAtFixedRate(
					() -> send(SseEmitter.event().comment("heartbeat")), WatchController.this.heartbeat);
			if (this.closed.get()) {
				close();
			}
		}

		@Override
		public void onEvent(WatchEvent event) {
			send(SseEmitter.event()
				.name(event.type().name().toLowerCase(Locale.ROOT))
				.id(String.valueOf(event.revision()))
				.data(Map.of("key", event.key(), "value", event.kv().valueAsString(), "revision", event.revision())));
		}

		@Override
		public void onError(EtcdException error) {
			close();
			this.emitter.completeWithError(error);
		}

		private void send(SseEmitter.SseEventBuilder event) {
			try {
				this.emitter.send(event);
			}
			catch (IOException | IllegalStateException ex) {
				// The browser went away (or the stream already ended).
				close();
				this.emitter.completeWithError(ex);
			}
		}

		void complete() {
			close();
			this.emitter.complete();
		}

		private void close() {
			this.closed.set(true);
			Subscription subscription = this.subscription;
			ScheduledFuture<?> heartbeats = this.heartbeats;
			if (subscription != null) {
				subscription.close();
			}
			if (heartbeats != null) {
				heartbeats.cancel(false);
			}
			WatchController.this.streams.remove(this);
		}

	}

}
