package org.etcdspring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a malformed {@code etcd.peers} entry and shows a correct one.
 *
 * @author etcd-spring
 */
class InvalidEtcdPeerFailureAnalyzer extends AbstractFailureAnalyzer<InvalidEtcdPeerException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidEtcdPeerException cause) {
		String description = "The etcd peer '" + cause.getValue() + "' configured by '" + cause.getProperty()
				+ "' is invalid: " + cause.getReason() + ".";
		String action = "Set '" + cause.getProperty().replaceAll("\\[\\d+\\]$", "")
				+ "' to the client URLs of your etcd members, for example:\n\n"
				+ "    etcd.peers=http://127.0.0.1:2379,http://10.0.0.2:2379\n\n"
				+ "Each entry is an http:// or https:// URL with a host and a port, or the shorthand host:port for http; "
				+ "all entries use the same scheme, and credentials go in 'etcd.username' and 'etcd.password', "
				+ "never in the URL.";
		return new FailureAnalysis(description, action, cause);
	}

}
