package org.etcdspring.watch;

import java.time.Duration;
import java.util.ArrayList;
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

/**
 * One watch: its stream, its resume point, and its reconnects.
 *
 * <p>
 * Every event handed to the listener moves the resume point past its revision; a
 * stream that fails is opened again (on the next endpoint, after a growing pause) from
 * that point, and events below it are dropped, so the listener sees each revision once
 * and none is skipped.
 *
 * @author etcd-spring
 */
final class WatchStream implements Subscription, StreamObserver<Watch.Response> {

	private static final Log logger = LogFactory.getLog(WatchStream.class);

	private static final Duration FIRST_RETRY = Duration.ofMillis(100);

	private static final Duration MAX_RETRY = Duration.ofSeconds(2);

	private final EtcdWatches watches;

	private final WatchRequest request;

	private final WatchListener listener;

	private final Executor dispatch;

	private final ScheduledExecutorService retryTimer;

	private final AtomicBoolean active = new AtomicBoolean(true);

	private volatile long nextRevision;

	private volatile @Nullable EtcdStream stream;

	private volatile Duration retryDelay = FIRST_RETRY;

	private volatile boolean reauthenticated;

	WatchStream(EtcdWatches watches, WatchRequest request, WatchListener listener, Executor dispatch,
			ScheduledExecutorService retryTimer) {
		this.watches = watches;
		this.request = request;
		this.listener = listener;
		this.dispatch = dispatch;
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
				.openStream(Watch.WATCH, new Watch.Request(create), namespace.describe(this.request.key()), this);
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
	public void onNext(Watch.Response response) {
		if (response.canceled()) {
			end(response.compactRevision() > 0
					? new EtcdCompactedException(
							"etcd watch of " + this.request + " cannot resume: revision " + this.nextRevision
									+ " was compacted (compact revision " + response.compactRevision() + ")",
							"watch", this.request.key(), null, response.compactRevision(), null)
					: new EtcdException("etcd cancelled the watch of " + this.request + ": "
							+ response.cancelReason(), "watch", this.request.key(), null, null));
			return;
		}
		if (response.created()) {
			this.retryDelay = FIRST_RETRY;
			this.reauthenticated = false;
			if (this.nextRevision == 0) {
				// Watching from "now": a reconnect must resume right after this revision.
				this.nextRevision = response.header().revision() + 1;
			}
			return;
		}
		if (response.events().isEmpty()) {
			long revision = response.header().revision();
			if (revision >= this.nextRevision) {
				this.nextRevision = revision + 1;
				this.dispatch.execute(() -> deliverProgress(revision));
			}
			return;
		}
		long resumeFrom = this.nextRevision;
		List<WatchEvent> fresh = new ArrayList<>(response.events().size());
		for (Watch.Event event : response.events()) {
			// Below the resume point: already delivered before a reconnect.
			if (event.kv().modRevision() >= resumeFrom) {
				fresh.add(toEvent(event));
			}
		}
		if (!fresh.isEmpty()) {
			// A response carries whole revisions, so the resume point moves before the listener sees them.
			long last = fresh.get(fresh.size() - 1).revision();
			this.nextRevision = last + 1;
			fresh.forEach((event) -> this.dispatch.execute(() -> deliver(event)));
			// The last revision is complete: listeners may apply the changes of one revision together.
			this.dispatch.execute(() -> deliverProgress(last));
		}
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
			catch (RuntimeException ex) {
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
			catch (RuntimeException ex) {
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
		Duration delay = this.retryDelay;
		this.retryDelay = (delay.multipliedBy(2).compareTo(MAX_RETRY) > 0) ? MAX_RETRY : delay.multipliedBy(2);
		logger.info("etcd watch of " + this.request + " failed (" + error.getMessage() + "); resuming from revision "
				+ this.nextRevision + " in " + delay.toMillis() + " ms");
		try {
			this.retryTimer.schedule(() -> {
				this.watches.reconnected();
				connect();
			}, delay.toMillis(), TimeUnit.MILLISECONDS);
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
				catch (RuntimeException ex) {
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
