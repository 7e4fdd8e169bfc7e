package org.etcdspring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.ReadConsistency;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for etcd.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@ConfigurationProperties("etcd")
public class EtcdProperties {

	/**
	 * Client URLs of the etcd members, such as 'http://10.0.0.1:2379'. The shorthand
	 * 'host:port' means http. Calls fail over between them.
	 */
	private List<String> peers = new ArrayList<>(List.of("http://127.0.0.1:2379"));

	/**
	 * Prefix applied to every key written or read, and stripped from returned keys, such
	 * as '/myapp/'. Empty for none.
	 */
	private String namespace = "";

	/**
	 * Time to wait for a connection to an etcd member.
	 */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/**
	 * Deadline of each etcd request. A call that gets no answer in time fails with
	 * EtcdTimeoutException.
	 */
	private Duration requestTimeout = Duration.ofSeconds(10);

	/**
	 * How reads are served: 'linearizable' (always current, through the leader) or
	 * 'serializable' (from the answering member, possibly stale, faster).
	 */
	private ReadConsistency readConsistency = ReadConsistency.LINEARIZABLE;

	private final Leader leader = new Leader();

	public List<String> getPeers() {
		return this.peers;
	}

	public void setPeers(List<String> peers) {
		this.peers = peers;
	}

	public String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public ReadConsistency getReadConsistency() {
		return this.readConsistency;
	}

	public void setReadConsistency(ReadConsistency readConsistency) {
		this.readConsistency = readConsistency;
	}

	public Leader getLeader() {
		return this.leader;
	}

	/**
	 * Leader election: etcd.election(role), @EtcdLeader methods and Spring Integration
	 * leader candidates.
	 */
	public static class Leader {

		/**
		 * Prefix of election keys. An instance campaigning for role 'r' writes the key
		 * '<prefix>r/<lease id>', so 'etcdctl elect -l <prefix>r' shows the leader. Keep
		 * the trailing slash.
		 */
		private String prefix = "etcd-spring/leader/";

		/**
		 * Time to live of the lease an instance campaigns on (renewed every third of it):
		 * how long a role stays with an instance that died without resigning. Whole
		 * seconds.
		 */
		private Duration ttl = Duration.ofSeconds(10);

		/**
		 * Value this instance campaigns with, shown as the leader's value by
		 * etcd.election(role).leader() and 'etcdctl elect -l'. Defaults to 'host:pid'.
		 */
		private @Nullable String id;

		public String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

		public @Nullable String getId() {
			return this.id;
		}

		public void setId(@Nullable String id) {
			this.id = id;
		}

	}

}
