package org.etcdspring.boot.actuate;

import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.cluster.ClusterOperations;
import org.etcdspring.cluster.Member;
import org.etcdspring.core.EtcdException;
import org.etcdspring.leader.EtcdLeaderRoles;
import org.etcdspring.lock.HeldLock;
import org.etcdspring.watch.EtcdWatches;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code /actuator/etcd} dashboard: the cluster's members and leader, the endpoints
 * in use, and what this application holds in etcd (watches; locks and roles when those
 * features are in use).
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@Endpoint(id = "etcd")
public class EtcdEndpoint {

	private final EtcdTemplate template;

	private final ClusterOperations cluster;

	private final @Nullable EtcdLeaderRoles roles;

	private Supplier<@Nullable String> notCampaigning = () -> null;

	public EtcdEndpoint(EtcdTemplate template, ClusterOperations cluster, @Nullable EtcdLeaderRoles roles) {
		this.template = template;
		this.cluster = cluster;
		this.roles = roles;
	}

	/**
	 * Set what says why this instance does not campaign now.
	 * @param notCampaigning gives the reason, or {@code null} when it campaigns
	 */
	public void setNotCampaigning(Supplier<@Nullable String> notCampaigning) {
		this.notCampaigning = notCampaigning;
	}

	@ReadOperation
	public EtcdDescriptor etcd() {
		List<MemberDescriptor> members = null;
		String error = null;
		try {
			members = this.cluster.members().stream().map(MemberDescriptor::of).toList();
		}
		catch (EtcdException ex) {
			error = ex.getMessage();
		}
		EtcdWatches watches = this.template.getWatches();
		return new EtcdDescriptor(this.cluster.endpoints().stream().map(Object::toString).toList(), members, error,
				(this.roles != null) ? this.roles.getRoles().stream().sorted().toList() : List.of(),
				(this.roles != null) ? this.roles.getLeadingRoles().stream().sorted().toList() : List.of(),
				this.template.locks().heldLocks(), watches.activeWatches(), this.notCampaigning.get());
	}

	/**
	 * What the dashboard shows.
	 *
	 * @param endpoints the endpoints in use, in failover order
	 * @param members the members, or {@code null} when the cluster did not answer
	 * @param error why the members are missing
	 * @param roles the roles this instance campaigns for
	 * @param rolesLed the roles this instance leads
	 * @param locks the distributed locks this application holds
	 * @param watches the watches this application runs
	 * @param notCampaigning why this instance does not campaign for its roles now
	 * (leadership that follows readiness), or {@code null}
	 */
	public record EtcdDescriptor(List<String> endpoints, @Nullable List<MemberDescriptor> members,
			@Nullable String error, List<String> roles, List<String> rolesLed, List<HeldLock> locks,
			List<EtcdWatches.WatchInfo> watches, @Nullable String notCampaigning) {
	}

	/**
	 * A member.
	 *
	 * @param id the member ID in hex
	 * @param name the name
	 * @param clientUrls the client URLs
	 * @param peerUrls the peer URLs
	 * @param leader whether it leads
	 * @param learner whether it is a learner
	 */
	public record MemberDescriptor(String id, String name, List<String> clientUrls, List<String> peerUrls,
			boolean leader, boolean learner) {

		static MemberDescriptor of(Member member) {
			return new MemberDescriptor(member.hexId(), member.name(),
					member.clientUrls().stream().map(Object::toString).toList(),
					member.peerUrls().stream().map(Object::toString).toList(), member.leader(), member.learner());
		}

	}

}
