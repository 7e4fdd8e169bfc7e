package org.etcdspring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

	private final Lock lock = new Lock();

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

	public Lock getLock() {
		return this.lock;
	}

	/**
	 * Distributed locks.
	 */
	public static class Lock {

		/**
		 * Key prefix of the distributed locks, inside 'etcd.namespace'. A lock named
		 * 'billing' lives under '<prefix>billing/', the prefix that 'etcdctl lock
		 * <prefix>billing' contends for too.
		 */
		private String prefix = "locks/";

		/**
		 * Time to live of the session lease the locks are held on: how long the locks of
		 * an application that died or lost contact with etcd outlive it. The lease is kept
		 * alive while the application runs, so a live holder keeps its locks. At least one
		 * second.
		 */
		private Duration ttl = Duration.ofSeconds(60);

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

	}

}
