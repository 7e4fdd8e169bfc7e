package org.etcdspring.watch;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.transport.EtcdStream;
import org.etcdspring.core.transport.StreamObserver;
import org.etcdspring.core.transport.Watch;

import org.springframework.util.Assert;

/**
 * One {@code POST /v3/watch} carrying the watches that were opened together, each under a
 * watch id of its own (1, 2, ...): every response goes to the watch it names, and the
 * stream reads on whatever any one watch does with it.
 *
 * <p>
 * Over HTTP/1.1 the gateway answers only once the request body is complete, so no watch
 * can join or be cancelled on the server once the stream is open. A watch that closes
 * just leaves: the server keeps sending its events, which are dropped, until the last
 * watch leaves (the stream is closed) or half of them have (the others move to a new
 * stream, from their own resume points, and this one is closed).
 *
 * @author etcd-spring
 */
final class SharedStream implements StreamObserver<Watch.Response> {

	private final StreamOpener opener;

	/**
	 * The watches still on the stream, by watch id; guarded by itself, as is
	 * {@link #ended}.
	 */
	private final Map<Long, WatchStream> watches;

	private final int opened;

	private boolean ended;

	private volatile @Nullable EtcdStream stream;

	private final AtomicBoolean answered = new AtomicBoolean();

	SharedStream(StreamOpener opener, int watches) {
		this.opener = opener;
		this.watches = new HashMap<>(Math.max(4, watches * 4 / 3 + 1));
		this.opened = watches;
	}

	/**
	 * Take the watches onto this stream and open it.
	 * @param watches the watches, each given the next watch id
	 * @param opener opens the HTTP stream with the create requests of the watches still
	 * active
	 */
	void open(List<WatchStream> watches, Opener opener) {
		List<Watch.CreateRequest> creates = new ArrayList<>(watches.size());
		String key = null;
		synchronized (this.watches) {
			long watchId = 0;
			for (WatchStream watch : watches) {
				Watch.CreateRequest create = watch.join(this, ++watchId);
				if (create != null) {
					this.watches.put(watchId, watch);
					creates.add(create);
					key = (key != null) ? key : watch.describeKey();
				}
			}
			if (creates.isEmpty()) {
				this.ended = true;
			}
		}
		if (creates.isEmpty()) {
			answer();
			return;
		}
		Assert.state(key != null, "Every watch to create names its key");
		String described = (creates.size() == 1) ? key : key + " and " + (creates.size() - 1) + " more";
		EtcdStream stream;
		try {
			stream = opener.open(creates, described, this);
		}
		catch (RuntimeException ex) {
			onError((ex instanceof EtcdException etcd) ? etcd : new EtcdException(
					"Opening the watch stream of " + described + " failed: " + ex, "watch", described, null, ex));
			return;
		}
		this.stream = stream;
		boolean cancel;
		synchronized (this.watches) {
			cancel = this.ended;
		}
		if (cancel) {
			// Every watch left while it opened.
			stream.cancel();
			answer();
		}
	}

	@Override
	public void onNext(Watch.Response response, EtcdStream stream) {
		answer();
		WatchStream watch;
		synchronized (this.watches) {
			watch = this.watches.get(response.watchId());
		}
		if (watch != null) {
			watch.onMessage(response, this);
		}
		stream.request(1);
	}

	@Override
	public void onError(EtcdException error) {
		List<WatchStream> failed = endAll();
		answer();
		this.opener.ended(this);
		failed.forEach((watch) -> watch.streamFailed(this, error));
	}

	/**
	 * The endpoint stopped answering: close the stream and resume its watches elsewhere.
	 */
	void abandon(EtcdException reason) {
		EtcdStream stream = this.stream;
		if (stream != null) {
			stream.cancel();
		}
		onError(reason);
	}

	/**
	 * A watch leaves the stream (closed, ended, or its listener fell behind).
	 */
	void leave(WatchStream watch, long watchId) {
		List<WatchStream> moving = List.of();
		boolean close = false;
		synchronized (this.watches) {
			if (this.ended || !this.watches.remove(watchId, watch)) {
				return;
			}
			if (this.watches.isEmpty()) {
				this.ended = true;
				close = true;
			}
			else if (this.watches.size() * 2 <= this.opened) {
				// Half the events the server sends here are dropped: worth a stream of
				// their own.
				moving = endAll();
				close = true;
			}
		}
		if (close) {
			EtcdStream stream = this.stream;
			if (stream != null) {
				stream.cancel();
			}
			// A stream cancelled before its first answer reports nothing more: the next
			// may open.
			answer();
			this.opener.ended(this);
			// Together, so that the survivors share their next stream too.
			this.opener
				.openTogether(moving.stream().filter((survivor) -> survivor.leaveForAnotherStream(this)).toList());
		}
	}

	private List<WatchStream> endAll() {
		synchronized (this.watches) {
			this.ended = true;
			List<WatchStream> all = new ArrayList<>(this.watches.values());
			this.watches.clear();
			return all;
		}
	}

	private void answer() {
		if (this.answered.compareAndSet(false, true)) {
			this.opener.answered(this);
		}
	}

	/**
	 * How many watches are on the stream.
	 */
	int size() {
		synchronized (this.watches) {
			return this.watches.size();
		}
	}

	/**
	 * The endpoint of the stream, {@code null} before it opened.
	 */
	@Nullable URI endpoint() {
		EtcdStream stream = this.stream;
		return (stream != null) ? stream.endpoint() : null;
	}

	/**
	 * How long the server has sent nothing on this stream; zero before it opened.
	 */
	Duration idleTime() {
		EtcdStream stream = this.stream;
		return (stream != null) ? stream.idleTime() : Duration.ZERO;
	}

	/**
	 * Opens the HTTP stream.
	 */
	@FunctionalInterface
	interface Opener {

		EtcdStream open(List<Watch.CreateRequest> creates, String key, StreamObserver<Watch.Response> observer);

	}

}
