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
import org.etcdspring.core.transport.Kv;
import org.etcdspring.core.transport.Watch;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * One watch: its place on a {@link SharedStream}, its resume point, its reconnects, and
 * its buffer.
 *
 * <p>
 * Every event handed to the listener moves the resume point past its revision; a stream
 * that fails is opened again (on the next endpoint, after a growing pause) from that
 * point, and events below it are dropped, so the listener sees each revision once and
 * none is skipped. Several watches may share one stream; each reads only the responses
 * that carry its watch id, and resumes from its own point.
 *
 * <p>
 * At most {@link #MAX_BUFFERED_EVENTS} events wait for the listener. When that many wait,
 * the rest of the last message read stays aside and the watch leaves its stream, which
 * goes on serving the other watches; once the listener has taken that rest, the watch
 * opens again from its resume point, so etcd's history catches it up without loss. So the
 * heap holds, per watch, the buffer and at most one message of etcd, and a slow listener
 * never holds back the watches it shares a stream with.
 *
 * @author etcd-spring
 */
final class WatchStream implements Subscription {

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
	 * by itself, as are the stream, the watch id and the overflow below.
	 */
	private final Deque<Runnable> backlog = new ArrayDeque<>();

	/**
	 * The stream the watch is on; {@code null} while it (re)connects.
	 */
	private @Nullable SharedStream stream;

	/**
	 * The watch's id on its stream.
	 */
	private long watchId;

	/**
	 * Whether the watch left its stream because its buffer was full, to open again once
	 * the backlog is taken.
	 */
	private boolean overflowed;

	private final ScheduledExecutorService retryTimer;

	private final AtomicBoolean active = new AtomicBoolean(true);

	private volatile long nextRevision;

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

	/**
	 * Open the watch, from its resume point: it joins the next stream its client opens.
	 */
	void connect() {
		if (this.active.get()) {
			this.watches.open(this, false);
		}
	}

	/**
	 * Open the watch for the first time, on the calling thread if no other stream is
	 * being opened.
	 */
	void start() {
		this.watches.open(this, true);
	}

	/**
	 * Join a stream about to open, under the given watch id.
	 * @return the create request to send on it; {@code null} if the watch has ended
	 */
	Watch.@Nullable CreateRequest join(SharedStream stream, long watchId) {
		synchronized (this.backlog) {
			if (!this.active.get()) {
				return null;
			}
			this.stream = stream;
			this.watchId = watchId;
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
		return new Watch.CreateRequest(key, this.request.isPrefix() ? namespace.rangeEnd(this.request.key()) : null,
				this.nextRevision, this.request.isProgressNotify(), filters, this.request.isPrevKv(), watchId);
	}

	/**
	 * The decoded key, for logs and errors of its stream.
	 */
	String describeKey() {
		return this.watches.namespace().describe(this.request.key());
	}

	/**
	 * A message of the stream for this watch.
	 */
	void onMessage(Watch.Response response, SharedStream from) {
		synchronized (this.backlog) {
			if (this.stream != from || !this.active.get()) {
				// Left that stream: what it still sends comes again on the next.
				return;
			}
			this.backlog.addAll(deliveries(response));
		}
		feed();
	}

	/**
	 * Move deliveries from the backlog into the buffer while it has room. If they do not
	 * all fit, leave the stream; once they have, open again.
	 */
	private void feed() {
		SharedStream leave = null;
		long leaveId = 0;
		boolean reopen = false;
		synchronized (this.backlog) {
			while (!this.backlog.isEmpty() && this.dispatch.waiting() < MAX_BUFFERED_EVENTS) {
				this.dispatch.execute(this.backlog.poll());
			}
			if (!this.backlog.isEmpty() && this.stream != null) {
				leave = this.stream;
				leaveId = this.watchId;
				this.stream = null;
				this.overflowed = true;
			}
			else if (this.backlog.isEmpty() && this.overflowed) {
				this.overflowed = false;
				reopen = true;
			}
		}
		if (leave != null) {
			leave.leave(this, leaveId);
		}
		if (reopen) {
			connect();
		}
	}

	/**
	 * The stream the watch is on, {@code null} while it (re)connects.
	 */
	@Nullable SharedStream stream() {
		synchronized (this.backlog) {
			return this.stream;
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
					: new EtcdException("etcd cancelled the watch of " + this.request + ": " + response.cancelReason(),
							"watch", this.request.key(), null, null));
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
			// A response carries whole revisions, so the resume point moves before the
			// listener sees them.
			long last = fresh.get(fresh.size() - 1).revision();
			this.nextRevision = last + 1;
			fresh.forEach((event) -> deliveries.add(() -> deliver(event)));
			// The last revision is complete: listeners may apply the changes of one
			// revision together.
			deliveries.add(() -> deliverProgress(last));
		}
		return deliveries;
	}

	private WatchEvent toEvent(Watch.Event event) {
		WatchEvent.Type type = (event.type() == Watch.EventType.DELETE) ? WatchEvent.Type.DELETE : WatchEvent.Type.PUT;
		return new WatchEvent(type, toKeyValue(event.kv()),
				(event.prevKv() != null) ? toKeyValue(event.prevKv()) : null);
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
				logger.error(
						"Watch listener of " + this.request + " failed on the event at revision " + event.revision(),
						ex);
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

	/**
	 * The stream failed or ended: resume on another.
	 */
	void streamFailed(SharedStream from, EtcdException error) {
		if (detach(from)) {
			onError(error);
		}
	}

	/**
	 * The stream is closing because most of its watches have left: the watch leaves it,
	 * to be opened again at once, together with the other survivors.
	 * @return whether the watch is still active and so must be opened again
	 */
	boolean leaveForAnotherStream(SharedStream from) {
		return detach(from);
	}

	private boolean detach(SharedStream from) {
		synchronized (this.backlog) {
			if (this.stream != from) {
				return false;
			}
			this.stream = null;
		}
		return this.active.get();
	}

	private void onError(EtcdException error) {
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
			leaveStream();
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
			leaveStream();
			this.watches.ended(this);
		}
	}

	private void leaveStream() {
		SharedStream stream;
		long watchId;
		synchronized (this.backlog) {
			stream = this.stream;
			watchId = this.watchId;
			this.stream = null;
		}
		if (stream != null) {
			stream.leave(this, watchId);
		}
	}

}
