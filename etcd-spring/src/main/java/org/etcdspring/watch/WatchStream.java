package org.etcdspring.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdAuthenticationException;
import org.etcdspring.core.EtcdCompactedException;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdPermissionDeniedException;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.transport.EtcdStream;
import org.etcdspring.core.transport.Kv;
import org.etcdspring.core.transport.StreamObserver;
import org.etcdspring.core.transport.Watch;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * One watch: its stream, its resume point, its reconnects, and its buffer.
 *
 * <p>
 * Every event handed to the listener moves the resume point past its revision; a
 * stream that fails is opened again (on the next endpoint, after a growing pause) from
 * that point, and events below it are dropped, so the listener sees each revision once
 * and none is skipped.
 *
 * <p>
 * At most {@link #MAX_BUFFERED_EVENTS} events wait for the listener. When that many
 * wait, the rest of the last message read stays aside and the next message is not read:
 * the connection's flow control then holds etcd back, which keeps the events on its side
 * (a watcher that cannot keep up is caught up later, without loss). So the heap holds,
 * per watch, the buffer and at most one message of etcd.
 *
 * @author etcd-spring
 */
final class WatchStream implements Subscription, StreamObserver<Watch.Response> {

	private static final Log logger = LogFactory.getLog(WatchStream.class);

	/**
	 * The pauses before a failed stream is opened again: 100 ms, doubled each time, at
	 * most 2 s; from 100 ms again once a stream is open.
	 */
	static final BackOff RECONNECT_PAUSES;

	static {
		ExponentialBackOff pauses = new ExponentialBackOff(100, 2);
		pauses.setMaxInterval(2000);
		RECONNECT_PAUSES = pauses;
	}

	/**
	 * The most events (and progress notices) waiting for the listener of one watch.
	 */
	static final int MAX_BUFFERED_EVENTS = 1024;

	private final EtcdWatches watches;

	private final WatchRequest request;

	private final WatchListener listener;

	private final SerialExecutor dispatch;

	/**
	 * Deliveries of the last message read that did not fit into the buffer yet; guarded
	 * by itself.
	 */
	private final Deque<Runnable> backlog = new ArrayDeque<>();

	/**
	 * The stream to ask for its next message once the backlog is empty and the buffer has
	 * room; guarded by the backlog.
	 */
	private @Nullable EtcdStream toResume;

	private final ScheduledExecutorService retryTimer;

	private final AtomicBoolean active = new AtomicBoolean(true);

	private volatile long nextRevision;

	private volatile @Nullable EtcdStream stream;

	private volatile BackOffExecution reconnectPauses = RECONNECT_PAUSES.start();

	private volatile boolean reauthenticated;

	WatchStream(EtcdWatches watches, WatchRequest request, WatchListener listener, Executor dispatcher,
			ScheduledExecutorService retryTimer) {
		this.watches = watches;
		this.request = request;
		this.listener = listener;
		this.dispatch = new SerialExecutor(dispatcher, this::feed);
		this.retryTimer = retryTimer;
		this.nextRevision = request.fromRevision();
	}

	void connect() {
		if (!this.active.get()) {
			return;
		}
		Namespace namespace = this.watches.namespace();
		byte[] key = namespace.encode(this.request.key());
		List<Watch.Filter> filters = new ArrayList<>(2);
		if (this.request.isNoPut()) {
			filters.add(Watch.Filter.NOPUT);
		}
		if (this.request.isNoDelete()) {
			filters.add(Watch.Filter.NODELETE);
		}
		Watch.CreateRequest create = new Watch.CreateRequest(key,
				this.request.isPrefix() ? namespace.rangeEnd(this.request.key()) : null, this.nextRevision,
				this.request.isProgressNotify(), filters, this.request.isPrevKv());
		try {
			this.stream = this.watches.transport()
				.openStream(Watch.WATCH, new Watch.Request(create), namespace.describe(this.request.key()), this,
						this.request.isRequireLeader());
		}
		catch (EtcdException ex) {
			onError(ex);
			return;
		}
		if (!this.active.get()) {
			// Closed while connecting.
			cancelStream();
		}
	}

	@Override
	public void onNext(Watch.Response response, EtcdStream stream) {
		List<Runnable> deliveries = deliveries(response);
		synchronized (this.backlog) {
			this.backlog.addAll(deliveries);
			this.toResume = stream;
		}
		feed();
	}

	/**
	 * Move deliveries from the backlog into the buffer while it has room, then read the
	 * next message if everything fitted.
	 */
	private void feed() {
		EtcdStream resume = null;
		synchronized (this.backlog) {
			while (!this.backlog.isEmpty() && this.dispatch.waiting() < MAX_BUFFERED_EVENTS) {
				this.dispatch.execute(this.backlog.poll());
			}
			if (this.backlog.isEmpty() && this.toResume != null) {
				resume = this.toResume;
				this.toResume = null;
			}
		}
		if (resume != null && this.active.get()) {
			resume.request(1);
		}
	}

	/**
	 * The most events that ever waited for the listener at once.
	 */
	int mostBufferedEvents() {
		return this.dispatch.mostWaiting();
	}

	private List<Runnable> deliveries(Watch.Response response) {
		if (response.canceled()) {
			end(response.compactRevision() > 0
					? new EtcdCompactedException(
							"etcd watch of " + this.request + " cannot resume: revision " + this.nextRevision
									+ " was compacted (compact revision " + response.compactRevision() + ")",
							"watch", this.request.key(), null, response.compactRevision(), null)
					: new EtcdException("etcd cancelled the watch of " + this.request + ": "
							+ response.cancelReason(), "watch", this.request.key(), null, null));
			return List.of();
		}
		if (response.created()) {
			this.reconnectPauses = RECONNECT_PAUSES.start();
			this.reauthenticated = false;
			if (this.nextRevision == 0) {
				// Watching from "now": a reconnect must resume right after this revision.
				this.nextRevision = response.header().revision() + 1;
			}
			return List.of();
		}
		if (response.events().isEmpty()) {
			long revision = response.header().revision();
			if (revision >= this.nextRevision) {
				this.nextRevision = revision + 1;
				return List.of(() -> deliverProgress(revision));
			}
			return List.of();
		}
		long resumeFrom = this.nextRevision;
		List<WatchEvent> fresh = new ArrayList<>(response.events().size());
		for (Watch.Event event : response.events()) {
			// Below the resume point: already delivered before a reconnect.
			if (event.kv().modRevision() >= resumeFrom) {
				fresh.add(toEvent(event));
			}
		}
		List<Runnable> deliveries = new ArrayList<>(fresh.size());
		if (!fresh.isEmpty()) {
			// A response carries whole revisions, so the resume point moves before the listener sees them.
			long last = fresh.get(fresh.size() - 1).revision();
			this.nextRevision = last + 1;
			fresh.forEach((event) -> deliveries.add(() -> deliver(event)));
			// The last revision is complete: listeners may apply the changes of one revision together.
			deliveries.add(() -> deliverProgress(last));
		}
		return deliveries;
	}

	private WatchEvent toEvent(Watch.Event event) {
		WatchEvent.Type type = (event.type() == Watch.EventType.DELETE) ? WatchEvent.Type.DELETE : WatchEvent.Type.PUT;
		return new WatchEvent(type, toKeyValue(event.kv()), (event.prevKv() != null) ? toKeyValue(event.prevKv()) : null);
	}

	private KeyValue toKeyValue(Kv.KeyValue kv) {
		return new KeyValue(this.watches.namespace().decode(kv.key()), kv.value(), kv.createRevision(),
				kv.modRevision(), kv.version(), kv.lease());
	}

	private void deliver(WatchEvent event) {
		if (this.active.get()) {
			try {
				this.watches.delivered();
				this.listener.onEvent(event);
			}
			catch (Throwable ex) {
				// Errors too: the listener's next events still come.
				this.watches.listenerFailed();
				logger.error("Watch listener of " + this.request + " failed on the event at revision "
						+ event.revision(), ex);
			}
		}
	}

	private void deliverProgress(long revision) {
		if (this.active.get()) {
			try {
				this.listener.onProgress(revision);
			}
			catch (Throwable ex) {
				this.watches.listenerFailed();
				logger.error("Watch listener of " + this.request + " failed on progress " + revision, ex);
			}
		}
	}

	@Override
	public void onError(EtcdException error) {
		if (!this.active.get()) {
			return;
		}
		if (error instanceof EtcdCompactedException || error instanceof EtcdPermissionDeniedException) {
			end(error);
			return;
		}
		if (error instanceof EtcdAuthenticationException) {
			// The transport dropped a rejected token: one more try with a fresh one.
			if (this.reauthenticated) {
				end(error);
				return;
			}
			this.reauthenticated = true;
		}
		long delay = this.reconnectPauses.nextBackOff();
		logger.info("etcd watch of " + this.request + " failed (" + error.getMessage() + "); resuming from revision "
				+ this.nextRevision + " in " + delay + " ms");
		try {
			this.retryTimer.schedule(() -> {
				this.watches.reconnected();
				connect();
			}, delay, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The client is closing.
			close();
		}
	}

	private void end(EtcdException error) {
		if (this.active.compareAndSet(true, false)) {
			cancelStream();
			this.watches.ended(this);
			this.dispatch.execute(() -> {
				try {
					this.listener.onError(error);
				}
				catch (Throwable ex) {
					this.watches.listenerFailed();
					logger.error("Watch listener of " + this.request + " failed on its error", ex);
				}
			});
		}
	}

	/**
	 * The stream in use, to check on its endpoint.
	 */
	@Nullable EtcdStream currentStream() {
		return this.stream;
	}

	/**
	 * The endpoint of the stream stopped answering: drop the stream and resume elsewhere.
	 */
	void abandon(EtcdStream stale, EtcdException reason) {
		if (this.stream == stale && this.active.get()) {
			stale.cancel();
			onError(reason);
		}
	}

	WatchRequest request() {
		return this.request;
	}

	@Override
	public boolean isActive() {
		return this.active.get();
	}

	@Override
	public long nextRevision() {
		return this.nextRevision;
	}

	@Override
	public void close() {
		if (this.active.compareAndSet(true, false)) {
			cancelStream();
			this.watches.ended(this);
		}
	}

	private void cancelStream() {
		EtcdStream stream = this.stream;
		if (stream != null) {
			stream.cancel();
		}
	}

}
