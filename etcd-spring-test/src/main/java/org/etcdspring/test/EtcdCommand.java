package org.etcdspring.test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The command line that starts one member of a local cluster.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
final class EtcdCommand {

	private final Path binary;

	private final String clusterToken = "etcd-local-" + UUID.randomUUID();

	private final List<String> timing;

	private final List<String> extraArgs;

	private final EtcdTls tls;

	private final List<String> extraClientUrls;

	/**
	 * Create the command for the members of one cluster.
	 * @param binary the etcd executable
	 * @param initialMembers how many members the cluster starts with
	 * @param extraArgs flags appended to every member's command line
	 * @param tls TLS for the client port, or {@code null} for plain http
	 * @param extraClientUrls URLs every member advertises besides its own client URL
	 */
	EtcdCommand(Path binary, int initialMembers, List<String> extraArgs, EtcdTls tls, List<String> extraClientUrls) {
		this.binary = binary;
		this.tls = tls;
		this.extraClientUrls = List.copyOf(extraClientUrls);
		// A single voter cannot lose an election, so it can use timings that make it
		// start fast;
		// a real cluster needs slack so elections don't flap on a busy machine with few
		// cores
		this.timing = (initialMembers == 1) ? List.of("--heartbeat-interval", "50", "--election-timeout", "500")
				: List.of("--heartbeat-interval", "100", "--election-timeout", "1000");
		this.extraArgs = List.copyOf(extraArgs);
	}

	/**
	 * Build the command line for a member.
	 * @param member the member to start
	 * @param initialCluster the {@code --initial-cluster} value, {@code name=peerUrl}
	 * pairs
	 * @param clusterState {@code new} or {@code existing}
	 * @return the executable followed by its arguments
	 */
	/**
	 * The scheme of the members' client URLs.
	 * @return {@code https} with TLS, else {@code http}
	 */
	String clientScheme() {
		return (this.tls != null) ? "https" : "http";
	}

	private String advertisedClientUrls(EtcdMember member) {
		List<String> urls = new ArrayList<>(List.of(member.clientEndpoint()));
		urls.addAll(this.extraClientUrls);
		return String.join(",", urls);
	}

	List<String> commandLine(EtcdMember member, String initialCluster, String clusterState) {
		List<String> commandLine = new ArrayList<>(List.of(this.binary.toString(), "--name", member.name(),
				"--data-dir", member.dataDirectory().toString(), "--listen-client-urls", member.clientEndpoint(),
				"--advertise-client-urls", advertisedClientUrls(member), "--listen-peer-urls", member.peerUrl(),
				"--initial-advertise-peer-urls", member.peerUrl(), "--initial-cluster", initialCluster,
				"--initial-cluster-state", clusterState, "--initial-cluster-token", this.clusterToken,
				"--snapshot-count", "10000", "--logger", "zap",
				// Health is probed here, in plain http even when clients must use TLS
				"--listen-metrics-urls", member.metricsEndpoint()));
		if (this.tls != null) {
			commandLine.addAll(
					List.of("--cert-file", this.tls.certFile().toString(), "--key-file", this.tls.keyFile().toString(),
							"--trusted-ca-file", this.tls.trustedCaFile().toString(), "--client-cert-auth"));
		}
		commandLine.addAll(this.timing);
		// etcd keeps the last value of a repeated flag, so extra arguments can override
		// the defaults
		commandLine.addAll(this.extraArgs);
		return commandLine;
	}

}
