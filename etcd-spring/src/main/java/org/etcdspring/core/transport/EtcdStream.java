package org.etcdspring.core.transport;

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

}
