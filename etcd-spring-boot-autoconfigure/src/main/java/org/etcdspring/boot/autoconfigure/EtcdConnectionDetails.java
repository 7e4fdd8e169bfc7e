package org.etcdspring.boot.autoconfigure;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

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

	/**
	 * The user to authenticate as.
	 * @return the user, or {@code null} when the cluster needs no authentication
	 */
	default @Nullable String getUsername() {
		return null;
	}

	/**
	 * The user's password.
	 * @return the password, or {@code null}
	 */
	default @Nullable String getPassword() {
		return null;
	}

	/**
	 * The SSL bundle for https endpoints.
	 * @return the bundle, or {@code null} for the JVM's default trust
	 */
	default @Nullable SslBundle getSslBundle() {
		return null;
	}

}
