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
	 * One message of the stream.
	 * @param message the message
	 */
	void onNext(R message);

	/**
	 * The stream failed or the server ended it; nothing follows. Called at most once, and
	 * never after {@link EtcdStream#cancel()}.
	 * @param error what happened
	 */
	void onError(EtcdException error);

}
