package org.etcdspring.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.etcdspring.core.Durations;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdUnavailableException;
import org.etcdspring.core.transport.Cluster;
import org.etcdspring.core.transport.EtcdRpc;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.core.transport.Kv;
import org.etcdspring.core.transport.Maintenance;

import org.springframework.util.Assert;

/**
 * The {@link ClusterOperations} of an {@link EtcdTransport}: member list and status
 * calls, the leader found by joining them, and endpoint sync.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class DefaultClusterOperations implements ClusterOperations {

	private static final Log logger = LogFactory.getLog(DefaultClusterOperations.class);

	private final EtcdTransport transport;

	private final Duration timeout;

	/**
	 * Create the cluster operations of a transport, with its request timeout.
	 * @param transport the transport to the cluster
	 */
	public DefaultClusterOperations(EtcdTransport transport) {
		this(transport, transport.requestTimeout());
	}

	/**
	 * Create cluster operations whose calls have a deadline of their own, such as the
	 * short one of a health check.
	 * @param transport the transport to the cluster
	 * @param timeout the deadline of each attempt
	 */
	public DefaultClusterOperations(EtcdTransport transport, Duration timeout) {
		Assert.notNull(transport, "'transport' must not be null");
		this.transport = transport;
		this.timeout = Durations.requirePositive(timeout, "'timeout'");
	}

	@Override
	public EtcdVersion version() {
		Kv.Version version = this.transport.call(EtcdRpc.VERSION, null, null, this.timeout);
		return new EtcdVersion(orEmpty(version.etcdserver()), orEmpty(version.etcdcluster()));
	}

	@Override
	public List<Member> members() {
		long leader = this.transport.call(Maintenance.STATUS, new Maintenance.StatusRequest(), null, this.timeout)
			.leader();
		return toMembers(memberList(), leader);
	}

	@Override
	public Member leader() {
		MemberStatus status = status();
		if (!status.hasLeader()) {
			throw new EtcdUnavailableException("etcd cluster has no leader: member " + Member.hexId(status.memberId())
					+ " knows none" + (status.errors().isEmpty() ? "" : " " + status.errors()), "status", null, null,
					null);
		}
		return toMembers(memberList(), status.leaderId()).stream()
			.filter(Member::leader)
			.findFirst()
			.orElseThrow(() -> new EtcdException("etcd leader " + Member.hexId(status.leaderId())
					+ " is not in the member list; the membership is changing"));
	}

	@Override
	public MemberStatus status() {
		return toStatus(this.transport.call(Maintenance.STATUS, new Maintenance.StatusRequest(), null, this.timeout));
	}

	@Override
	public MemberStatus status(URI endpoint) {
		Assert.notNull(endpoint, "'endpoint' must not be null");
		return toStatus(
				this.transport.callEndpoint(endpoint, Maintenance.STATUS, new Maintenance.StatusRequest(), null));
	}

	@Override
	public List<Alarm> alarms() {
		return this.transport.call(Maintenance.ALARM, Maintenance.AlarmRequest.GET, null, this.timeout)
			.alarms()
			.stream()
			.map((alarm) -> new Alarm(alarm.memberId(), alarm.alarm()))
			.toList();
	}

	@Override
	public List<URI> endpoints() {
		return this.transport.endpoints();
	}

	@Override
	public List<URI> syncEndpoints() {
		List<Cluster.Member> members = memberList();
		List<URI> advertised = clientEndpoints(members);
		if (advertised.isEmpty()) {
			throw new EtcdException("etcd member list names no client URL to use (members: " + toMembers(members, 0)
					+ "); the endpoints stay " + this.transport.endpoints());
		}
		// Only the configured channel: a member advertising other URLs does not redirect
		// credentials
		List<URI> endpoints = this.transport.usableEndpoints(advertised);
		if (endpoints.isEmpty()) {
			throw new EtcdException("etcd members advertise only client URLs this client does not use (" + advertised
					+ ": see the warning above); the endpoints stay " + this.transport.endpoints());
		}
		if (!endpoints.equals(this.transport.endpoints())) {
			logger.info("etcd endpoints change from " + this.transport.endpoints() + " to " + endpoints);
			this.transport.updateEndpoints(endpoints);
		}
		return this.transport.endpoints();
	}

	/**
	 * The http and https client URLs of the started voting members: learners refuse most
	 * requests, and etcd may also advertise {@code unix://} sockets.
	 */
	static List<URI> clientEndpoints(List<Cluster.Member> members) {
		List<URI> endpoints = new ArrayList<>();
		for (Cluster.Member member : members) {
			if (member.learner()) {
				continue;
			}
			for (String url : member.clientUrls()) {
				URI advertised = URI.create(url);
				if (("http".equals(advertised.getScheme()) || "https".equals(advertised.getScheme()))
						&& advertised.getHost() != null && advertised.getPort() > 0) {
					// Never user info: it would reach logs and messages
					URI uri = URI
						.create(advertised.getScheme() + "://" + advertised.getHost() + ":" + advertised.getPort());
					if (!endpoints.contains(uri)) {
						endpoints.add(uri);
					}
				}
			}
		}
		return endpoints;
	}

	private List<Cluster.Member> memberList() {
		return this.transport.call(Cluster.MEMBER_LIST, new Cluster.MemberListRequest(), null, this.timeout).members();
	}

	static List<Member> toMembers(List<Cluster.Member> members, long leader) {
		return members.stream()
			.map((member) -> new Member(member.id(), member.name(), toUris(member.peerUrls()),
					toUris(member.clientUrls()), member.learner(), member.id() == leader))
			.toList();
	}

	private static List<URI> toUris(List<String> urls) {
		return urls.stream().map(URI::create).map(DefaultClusterOperations::withoutUserInfo).toList();
	}

	/**
	 * The URL without the user info a member may advertise in it
	 * ({@code https://user:password@host:2379}), which would otherwise reach
	 * {@link Member}, logs, messages and Actuator output.
	 * @param url the URL
	 * @return the URL without user info, the same when it has none
	 */
	static URI withoutUserInfo(URI url) {
		String authority = url.getRawAuthority();
		if (authority == null || authority.indexOf('@') < 0) {
			return url;
		}
		return URI.create(url.getScheme() + "://" + authority.substring(authority.lastIndexOf('@') + 1)
				+ orEmpty(url.getRawPath()) + ((url.getRawQuery() != null) ? "?" + url.getRawQuery() : "")
				+ ((url.getRawFragment() != null) ? "#" + url.getRawFragment() : ""));
	}

	private static MemberStatus toStatus(Maintenance.StatusResponse status) {
		return new MemberStatus(status.header().memberId(), status.version(), status.dbSize(), status.dbSizeInUse(),
				status.leader(), status.raftIndex(), status.raftAppliedIndex(), status.raftTerm(), status.learner(),
				status.errors());
	}

	private static String orEmpty(@Nullable String text) {
		return (text != null) ? text : "";
	}

}
