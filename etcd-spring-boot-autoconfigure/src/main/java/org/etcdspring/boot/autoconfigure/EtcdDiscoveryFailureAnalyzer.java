package org.etcdspring.boot.autoconfigure;

import org.etcdspring.cluster.EtcdDiscovery;
import org.etcdspring.cluster.EtcdDiscoveryException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@code etcd.discovery} that found no member and says what to check.
 *
 * @author etcd-spring
 */
class EtcdDiscoveryFailureAnalyzer extends AbstractFailureAnalyzer<EtcdDiscoveryException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EtcdDiscoveryException cause) {
		String description = "etcd discovery through '" + cause.getSource()
				+ "' (etcd.discovery) found no member to connect to: " + cause.getProblem() + ".";
		String check = cause.getSource()
			.regionMatches(true, 0, EtcdDiscovery.SRV_PREFIX, 0, EtcdDiscovery.SRV_PREFIX.length())
					? "that the DNS server (etcd.discovery-dns-server, or the system's resolver when it is not set) "
							+ "answers SRV records _etcd-client._tcp.<domain> (http) or "
							+ "_etcd-client-ssl._tcp.<domain> (https) that name your members' client ports"
					: "that the token URL is the one your cluster was started with, that it is reachable from here, "
							+ "and that the members it lists answer GET /members on their peer URLs";
		String action = cause.getProblem().contains("plain text")
				? "Serve the members' client URLs over https (trusted through 'etcd.ssl.bundle'). If the network "
						+ "path is trusted, set 'etcd.allow-plaintext-credentials=true' to send the credentials "
						+ "over plain http anyway."
				: "Check " + check + ". Or list the members' client URLs in 'etcd.peers' "
						+ "and remove 'etcd.discovery'.";
		return new FailureAnalysis(description, action, cause);
	}

}
