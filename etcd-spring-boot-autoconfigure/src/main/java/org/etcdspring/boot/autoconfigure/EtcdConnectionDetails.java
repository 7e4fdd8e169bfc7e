package org.etcdspring.boot.autoconfigure;

import java.net.URI;
import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Details required to establish a connection to an etcd cluster.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public interface EtcdConnectionDetails extends ConnectionDetails {

	/**
	 * The client URLs of the etcd members, such as {@code http://127.0.0.1:2379}.
	 * @return the endpoints, never empty
	 */
	List<URI> getEndpoints();

}
