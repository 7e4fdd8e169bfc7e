package org.etcdspring.core.transport;

import java.net.URI;
import java.time.Duration;

/**
 * A streaming call in progress.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public interface EtcdStream {

	/**
	 * End the stream and close its connection. No message is delivered afterwards.
	 */
	void cancel();

	/**
	 * Ask for more messages. A stream delivers its first message unasked and each further
	 * one only when asked; messages without content (such as blank keep-alive lines) are
	 * not counted.
	 * @param messages how many more messages the observer can take
	 */
	void request(long messages);

	/**
	 * The endpoint the stream is open on.
	 * @return the endpoint
	 */
	URI endpoint();

	/**
	 * How long ago the server last sent anything on this stream (or opened it).
	 * @return the time since the last message
	 */
	Duration idleTime();

}
