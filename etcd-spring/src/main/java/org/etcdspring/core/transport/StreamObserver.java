package org.etcdspring.core.transport;

import org.etcdspring.core.EtcdException;

/**
 * Receives the messages of a streaming call, one at a time and in order, on a thread of
 * the transport's HTTP client: implementations hand work elsewhere and return quickly.
 *
 * @param <R> the message type
 * @author etcd-spring
 * @since 0.1.0
 */
public interface StreamObserver<R> {

	/**
	 * One message of the stream. The stream reads the next message from the connection
	 * only once asked with {@link EtcdStream#request(long)}: until then the connection's
	 * flow control holds the server back, so an observer that falls behind stops the
	 * stream instead of buffering without bound.
	 * @param message the message
	 * @param stream the stream it came on, to ask for more
	 */
	void onNext(R message, EtcdStream stream);

	/**
	 * The stream failed or the server ended it; nothing follows. Called at most once, and
	 * never after {@link EtcdStream#cancel()}.
	 * @param error what happened
	 */
	void onError(EtcdException error);

}
