package org.etcdspring.watch;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdThreads;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.core.transport.Maintenance;

import org.springframework.util.Assert;

/**
 * Runs watches on an {@link EtcdTransport}: watches opened together share one streaming
 * {@code POST /v3/watch} (see {@link StreamOpener}), read asynchronously, so open watches
 * cost a few sockets and no thread. Events are handed to listeners on a shared dispatch
 * executor, serially per watch: virtual threads on Java 21 and later, otherwise a small
 * pool of platform threads (so a listener that blocks for long holds one of those few
 * threads).
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdWatches implements WatchOperations, AutoCloseable {

	private static final Log logger = LogFactory.getLog(EtcdWatches.class);

	private final EtcdTransport transport;

	private final Namespace namespace;

	private final Set<WatchStream> active = ConcurrentHashMap.newKeySet();

	private final Set<SharedStream> streams = ConcurrentHashMap.newKeySet();

	private @Nullable StreamOpener opener;

	private @Nullable StreamOpener leaderOpener;

	private final AtomicLong reconnects = new AtomicLong();

	private final AtomicLong events = new AtomicLong();

	private final AtomicLong listenerFailures = new AtomicLong();

	private @Nullable ExecutorService dispatcher;

	private @Nullable ScheduledExecutorService retryTimer;

	private @Nullable ScheduledExecutorService prober;

	private boolean closed;

	public EtcdWatches(EtcdTransport transport, Namespace namespace) {
		Assert.notNull(transport, "'transport' must not be null");
		Assert.notNull(namespace, "'namespace' must not be null");
		this.transport = transport;
		this.namespace = namespace;
	}

	/**
	 * Start a watch.
	 * @param request what to watch
	 * @param listener receives the events
	 * @return the running watch
	 */
	@Override
	public Subscription watch(WatchRequest request, WatchListener listener) {
		Assert.notNull(request, "'request' must not be null");
		Assert.notNull(listener, "'listener' must not be null");
		WatchStream stream;
		synchronized (this) {
			Assert.state(!this.closed, "The watches of this client have been closed");
			stream = new WatchStream(this, request, listener, dispatcher(), retryTimer());
			this.active.add(stream);
			startProbing();
		}
		stream.start();
		return stream;
	}

	/**
	 * Watch as a blocking stream of events. Closing the stream ends the watch; an error
	 * that ends the watch is thrown by the stream's terminal operation.
	 * @param request what to watch
	 * @return the events, without end until closed
	 */
	@Override
	public Stream<WatchEvent> watchStream(WatchRequest request) {
		// Bounded like a watch's buffer: a consumer that falls behind holds the listener,
		// which stops the stream.
		BlockingQueue<Object> queue = new LinkedBlockingQueue<>(WatchStream.MAX_BUFFERED_EVENTS);
		Object end = new Object();
		AtomicBoolean closed = new AtomicBoolean();
		Subscription subscription = watch(request, new WatchListener() {

			@Override
			public void onEvent(WatchEvent event) {
				hand(event);
			}

			@Override
			public void onError(EtcdException error) {
				hand(error);
			}

			private void hand(Object item) {
				try {
					while (!closed.get() && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
						// Waiting for the consumer, until it closes the stream.
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}

		});
		Iterator<WatchEvent> iterator = new Iterator<>() {

			private @Nullable Object next;

			@Override
			public boolean hasNext() {
				if (this.next == null) {
					try {
						this.next = queue.take();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						subscription.close();
						throw new EtcdException("Interrupted while waiting for the next event of " + request);
					}
				}
				if (this.next instanceof EtcdException error) {
					throw error;
				}
				return this.next != end;
			}

			@Override
			public WatchEvent next() {
				if (!hasNext() || !(this.next instanceof WatchEvent event)) {
					throw new NoSuchElementException();
				}
				this.next = null;
				return event;
			}

		};
		return StreamSupport
			.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL), false)
			.onClose(() -> {
				closed.set(true);
				subscription.close();
				queue.clear();
				queue.offer(end);
			});
	}

	EtcdTransport transport() {
		return this.transport;
	}

	Namespace namespace() {
		return this.namespace;
	}

	/**
	 * Open a watch on the next stream that carries watches like it.
	 */
	void open(WatchStream watch, boolean here) {
		StreamOpener opener;
		synchronized (this) {
			if (this.closed) {
				// Closing: the watch is closed too.
				return;
			}
			if (watch.request().isRequireLeader()) {
				if (this.leaderOpener == null) {
					this.leaderOpener = new StreamOpener(this.transport, true, retryTimer(), this.streams);
				}
				opener = this.leaderOpener;
			}
			else {
				if (this.opener == null) {
					this.opener = new StreamOpener(this.transport, false, retryTimer(), this.streams);
				}
				opener = this.opener;
			}
		}
		opener.open(watch, here);
	}

	/**
	 * How many streams carry the watches.
	 * @return the number of open watch streams
	 */
	public int streamCount() {
		return this.streams.size();
	}

	void ended(WatchStream stream) {
		this.active.remove(stream);
	}

	void reconnected() {
		this.reconnects.incrementAndGet();
	}

	void delivered() {
		this.events.incrementAndGet();
	}

	void listenerFailed() {
		this.listenerFailures.incrementAndGet();
	}

	/**
	 * How many times a listener threw (an exception or an error) on an event, a progress
	 * notice or an error. The watch went on with the next event.
	 * @return the listener failure count
	 */
	public long listenerFailureCount() {
		return this.listenerFailures.get();
	}

	/**
	 * How many watches are running.
	 * @return the number of active watches
	 */
	public int activeCount() {
		return this.active.size();
	}

	/**
	 * The running watches: what each watches and where it resumes.
	 * @return a snapshot of the active watches
	 */
	public List<WatchInfo> activeWatches() {
		return this.active.stream()
			.map((stream) -> new WatchInfo(stream.request().toString(), stream.nextRevision()))
			.toList();
	}

	/**
	 * A running watch, as dashboards show it.
	 *
	 * @param request what it watches
	 * @param nextRevision where it resumes after a reconnect
	 */
	public record WatchInfo(String request, long nextRevision) {
	}

	/**
	 * How many times a watch stream was opened again after a failure.
	 * @return the reconnect count
	 */
	public long reconnectCount() {
		return this.reconnects.get();
	}

	/**
	 * How many events were handed to listeners.
	 * @return the event count
	 */
	public long eventCount() {
		return this.events.get();
	}

	private ExecutorService dispatcher() {
		if (this.dispatcher == null) {
			// Listeners may block: where the JVM has virtual threads, they run on them.
			EtcdThreads threads = EtcdThreads.virtualThreadsAvailable() ? EtcdThreads.of(true)
					: this.transport.threads();
			this.dispatcher = threads.workers("etcd-watch-", Math.max(2, Runtime.getRuntime().availableProcessors()))
				.getThreadPoolExecutor();
		}
		return this.dispatcher;
	}

	/**
	 * A stopped (not crashed) member keeps its connections open but sends nothing, which
	 * looks just like a quiet key. So, once per request timeout, each endpoint whose
	 * streams have all been quiet that long is asked for its status; if it does not
	 * answer, its streams are dropped and resume on another endpoint.
	 */
	private void startProbing() {
		if (this.prober == null) {
			this.prober = this.transport.threads().timer("etcd-watch-probe").getScheduledExecutor();
			long interval = Math.max(this.transport.requestTimeout().toMillis(), 1000);
			this.prober.scheduleWithFixedDelay(this::probeQuietEndpoints, interval, interval, TimeUnit.MILLISECONDS);
		}
	}

	private void probeQuietEndpoints() {
		Duration quiet = this.transport.requestTimeout();
		Map<URI, List<SharedStream>> quietStreams = new HashMap<>();
		for (SharedStream stream : this.streams) {
			URI endpoint = stream.endpoint();
			if (endpoint != null && stream.idleTime().compareTo(quiet) > 0) {
				quietStreams.computeIfAbsent(endpoint, (key) -> new ArrayList<>()).add(stream);
			}
		}
		quietStreams.forEach((endpoint, streams) -> {
			try {
				this.transport.callEndpoint(endpoint, Maintenance.STATUS, new Maintenance.StatusRequest(), null);
			}
			catch (EtcdException ex) {
				logger.warn("etcd member " + endpoint + " does not answer (" + ex.getMessage() + "); moving "
						+ streams.stream().mapToInt(SharedStream::size).sum() + " watch(es) to another member");
				this.transport.markFailed(endpoint);
				streams.forEach((stream) -> stream.abandon(ex));
			}
			catch (RuntimeException ex) {
				logger.warn("Probing etcd member " + endpoint + " failed", ex);
			}
		});
	}

	private ScheduledExecutorService retryTimer() {
		if (this.retryTimer == null) {
			this.retryTimer = this.transport.threads().timer("etcd-watch-reconnect").getScheduledExecutor();
		}
		return this.retryTimer;
	}

	/**
	 * End every watch and stop the dispatch threads.
	 */
	@Override
	public void close() {
		synchronized (this) {
			this.closed = true;
		}
		this.active.forEach(WatchStream::close);
		if (this.dispatcher != null) {
			this.dispatcher.shutdown();
		}
		if (this.retryTimer != null) {
			this.retryTimer.shutdownNow();
		}
		if (this.prober != null) {
			this.prober.shutdownNow();
		}
		logger.debug("etcd watches closed");
	}

}
