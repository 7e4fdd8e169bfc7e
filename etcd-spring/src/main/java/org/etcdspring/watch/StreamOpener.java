package org.etcdspring.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.etcdspring.core.transport.EtcdStream;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.core.transport.StreamObserver;
import org.etcdspring.core.transport.Watch;

/**
 * Puts the watches that open together onto one {@link SharedStream}: a watch that opens
 * (or resumes) while no stream of this opener is waiting for its first answer goes out at
 * once; those that open meanwhile wait for that answer, and then go out together, at most
 * {@link #MAX_WATCHES_PER_STREAM} a stream. So a lone watch waits for no one, and a
 * thousand watches opened in a loop, or resuming after a failure, cost a few streams.
 *
 * @author etcd-spring
 */
final class StreamOpener {

	/**
	 * The most watches one stream carries: enough to make streams few, few enough that a
	 * failed stream resumes a bounded number of watches at once.
	 */
	static final int MAX_WATCHES_PER_STREAM = 1000;

	private final EtcdTransport transport;

	private final boolean requireLeader;

	private final Executor executor;

	/**
	 * The watches waiting for a stream; guarded by itself, as is {@link #opening}.
	 */
	private final Deque<WatchStream> pending = new ArrayDeque<>();

	/**
	 * Whether a stream is being opened or waits for its first answer.
	 */
	private boolean opening;

	private final Set<SharedStream> streams;

	/**
	 * @param transport opens the streams
	 * @param requireLeader whether the streams require a leader
	 * @param executor opens the streams, off the threads of callers and of the HTTP
	 * client
	 * @param streams the open streams of the client, kept up to date
	 */
	StreamOpener(EtcdTransport transport, boolean requireLeader, Executor executor, Set<SharedStream> streams) {
		this.transport = transport;
		this.requireLeader = requireLeader;
		this.executor = executor;
		this.streams = streams;
	}

	/**
	 * Open a watch on the next stream.
	 * @param watch the watch
	 * @param here whether the calling thread may open the stream: a caller of the API
	 * may, so that a lone watch is sent before the call returns, as it was before streams
	 * were shared; the threads of the HTTP client and the dispatchers may not
	 */
	void open(WatchStream watch, boolean here) {
		boolean start = addPending(List.of(watch));
		if (start && here) {
			openPending();
		}
		else if (start) {
			openNext();
		}
	}

	/**
	 * Open watches on the next stream, all on the same one (up to
	 * {@link #MAX_WATCHES_PER_STREAM}), off the calling thread.
	 * @param watches the watches
	 */
	void openTogether(List<WatchStream> watches) {
		if (!watches.isEmpty() && addPending(watches)) {
			openNext();
		}
	}

	/**
	 * @return whether the caller must start opening a stream
	 */
	private boolean addPending(List<WatchStream> watches) {
		synchronized (this.pending) {
			this.pending.addAll(watches);
			boolean start = !this.opening;
			this.opening = true;
			return start;
		}
	}

	private void openNext() {
		try {
			this.executor.execute(this::openPending);
		}
		catch (RejectedExecutionException ex) {
			// The client is closing: so are its watches.
			List<WatchStream> waiting;
			synchronized (this.pending) {
				waiting = new ArrayList<>(this.pending);
				this.pending.clear();
				this.opening = false;
			}
			waiting.forEach(WatchStream::close);
		}
	}

	private void openPending() {
		List<WatchStream> watches = new ArrayList<>();
		synchronized (this.pending) {
			while (!this.pending.isEmpty() && watches.size() < MAX_WATCHES_PER_STREAM) {
				WatchStream watch = this.pending.poll();
				if (watch.isActive()) {
					watches.add(watch);
				}
			}
			if (watches.isEmpty()) {
				this.opening = false;
				return;
			}
		}
		SharedStream stream = new SharedStream(this, watches.size());
		this.streams.add(stream);
		stream.open(watches, this::openHttpStream);
	}

	private EtcdStream openHttpStream(List<Watch.CreateRequest> creates, String key,
			StreamObserver<Watch.Response> observer) {
		List<Watch.Request> requests = new ArrayList<>(creates.size());
		creates.forEach((create) -> requests.add(new Watch.Request(create)));
		return this.transport.openStream(Watch.WATCH, requests, key, observer, this.requireLeader);
	}

	/**
	 * The stream answered or failed: the next may open.
	 */
	void answered(SharedStream stream) {
		boolean next;
		synchronized (this.pending) {
			next = !this.pending.isEmpty();
			this.opening = next;
		}
		if (next) {
			openNext();
		}
	}

	/**
	 * The stream is closed.
	 */
	void ended(SharedStream stream) {
		this.streams.remove(stream);
	}

}
