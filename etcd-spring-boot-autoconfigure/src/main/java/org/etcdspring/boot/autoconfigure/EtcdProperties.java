package org.etcdspring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.ReadConsistency;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

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
	 * 'host:port' means http. Calls fail over between them. All use one scheme, and none
	 * carries user info: credentials go in 'etcd.username' and 'etcd.password'.
	 */
	private List<String> peers = new ArrayList<>(List.of("http://127.0.0.1:2379"));

	/**
	 * Prefix applied to every key written or read, and stripped from returned keys, such
	 * as '/myapp/'. Empty for none. A prefix not ending with '/' gets one (with a
	 * warning). A namespace is not a security boundary: use etcd's role-based access
	 * control to confine a user to it.
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

	/**
	 * Most keys one page of a prefix read carries (getPrefix, directory listings, the
	 * config import). A prefix is read in pages, all at one revision, that start at 16
	 * keys and grow fourfold up to this; the answer to a page may take at most 32 MiB,
	 * and a page that overflows is read again with half the keys.
	 */
	private int readPageSize = 1000;

	/**
	 * Most keys and values a read of a whole prefix into memory (getPrefix, directory
	 * listings, the config import) may hold. A larger prefix fails with
	 * EtcdPrefixTooLargeException, naming the prefix, instead of exhausting the heap.
	 */
	private DataSize maxPrefixSize = DataSize.ofMegabytes(64);

	/**
	 * User to authenticate as when authentication is enabled on the cluster.
	 */
	private @Nullable String username;

	/**
	 * Password of the user.
	 */
	private @Nullable String password;

	/**
	 * Whether the credentials may go over plain http to endpoints the client learns
	 * itself: from an http discovery token URL, http client URLs found by discovery, or
	 * http URLs that members advertise (auto-sync). Off by default: such endpoints are
	 * then left out, or discovery fails. Peers listed in 'etcd.peers' are used as given.
	 */
	private boolean allowPlaintextCredentials;

	private final Ssl ssl = new Ssl();

	private final Batching batching = new Batching();

	/**
	 * Where to discover the members instead of listing them in 'etcd.peers': a discovery
	 * token URL, such as 'https://discovery.etcd.io/<token>', or 'srv:<domain>' for the
	 * DNS SRV records '_etcd-client-ssl._tcp.<domain>' (https) and
	 * '_etcd-client._tcp.<domain>' (http). When set, 'etcd.peers' is ignored.
	 */
	private @Nullable String discovery;

	/**
	 * DNS server that answers the SRV queries of an 'srv:' discovery, as 'host' or
	 * 'host:port', instead of the system's resolver.
	 */
	private @Nullable String discoveryDnsServer;

	/**
	 * How often to replace the endpoints with the client URLs of the current members, so
	 * that added and removed members are picked up. Off when not set.
	 */
	private @Nullable Duration autoSyncInterval;

	private final Leader leader = new Leader();

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

	public int getReadPageSize() {
		return this.readPageSize;
	}

	public void setReadPageSize(int readPageSize) {
		this.readPageSize = readPageSize;
	}

	public DataSize getMaxPrefixSize() {
		return this.maxPrefixSize;
	}

	public void setMaxPrefixSize(DataSize maxPrefixSize) {
		this.maxPrefixSize = maxPrefixSize;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public boolean isAllowPlaintextCredentials() {
		return this.allowPlaintextCredentials;
	}

	public void setAllowPlaintextCredentials(boolean allowPlaintextCredentials) {
		this.allowPlaintextCredentials = allowPlaintextCredentials;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Batching getBatching() {
		return this.batching;
	}

	public @Nullable String getDiscovery() {
		return this.discovery;
	}

	public void setDiscovery(@Nullable String discovery) {
		this.discovery = discovery;
	}

	public @Nullable String getDiscoveryDnsServer() {
		return this.discoveryDnsServer;
	}

	public void setDiscoveryDnsServer(@Nullable String discoveryDnsServer) {
		this.discoveryDnsServer = discoveryDnsServer;
	}

	public @Nullable Duration getAutoSyncInterval() {
		return this.autoSyncInterval;
	}

	public void setAutoSyncInterval(@Nullable Duration autoSyncInterval) {
		this.autoSyncInterval = autoSyncInterval;
	}

	public Leader getLeader() {
		return this.leader;
	}

	public Lock getLock() {
		return this.lock;
	}

	/**
	 * TLS settings.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) that holds the CA to trust and,
		 * for client-certificate authentication, the client's certificate and key. Used
		 * for https peers and discovery; its protocol and cipher options apply to every
		 * connection.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * Batching of concurrent operations into transactions.
	 */
	public static class Batching {

		/**
		 * Whether single-key reads, puts and deletes of concurrent callers are sent
		 * together as one transaction. A lone caller is never delayed.
		 */
		private boolean enabled = true;

		/**
		 * Most operations in one batch; at most the server's --max-txn-ops.
		 */
		private int maxOperations = 128;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxOperations() {
			return this.maxOperations;
		}

		public void setMaxOperations(int maxOperations) {
			this.maxOperations = maxOperations;
		}

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

		/**
		 * Whether leadership follows the application's readiness: this instance does not
		 * campaign before its readiness is ACCEPTING_TRAFFIC for the first time; when it
		 * turns REFUSING_TRAFFIC, it resigns every role and does not campaign until it is
		 * ACCEPTING_TRAFFIC again.
		 */
		private boolean followReadiness;

		public String getPrefix() {
			return this.prefix;
		}

		public boolean isFollowReadiness() {
			return this.followReadiness;
		}

		public void setFollowReadiness(boolean followReadiness) {
			this.followReadiness = followReadiness;
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
		 * an application that died or lost contact with etcd outlive it. The lease is
		 * kept alive while the application runs, so a live holder keeps its locks. At
		 * least one second.
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
