package org.etcdspring.cluster;

import java.util.List;

/**
 * The status of one etcd member, as it reports it.
 *
 * @param memberId the ID of the member that answered
 * @param version the version of its etcd binary
 * @param dbSize the size of its backend database in bytes
 * @param dbSizeInUse the bytes of the database in use (the rest is free after
 * compaction); 0 when the server does not say
 * @param leaderId the ID of the leader it knows, 0 when it knows none
 * @param raftIndex its Raft log index
 * @param raftAppliedIndex the Raft index it has applied
 * @param raftTerm its Raft term
 * @param learner whether it is a learner (etcd 3.5 and later say so; 3.4 always gives
 * {@code false})
 * @param errors the problems it reports, such as {@code etcdserver: no leader}
 * @author etcd-spring
 * @since 0.1.0
 */
public record MemberStatus(long memberId, String version, long dbSize, long dbSizeInUse, long leaderId, long raftIndex,
		long raftAppliedIndex, long raftTerm, boolean learner, List<String> errors) {

	public MemberStatus {
		errors = List.copyOf(errors);
	}

	/**
	 * Whether the member knows a leader.
	 * @return {@code true} when it does
	 */
	public boolean hasLeader() {
		return this.leaderId != 0;
	}

	/**
	 * Whether the member is itself the leader.
	 * @return {@code true} when it leads
	 */
	public boolean isLeader() {
		return hasLeader() && this.leaderId == this.memberId;
	}

	@Override
	public String toString() {
		return "member " + Member.hexId(this.memberId) + " (etcd " + this.version + "): leader "
				+ (hasLeader() ? Member.hexId(this.leaderId) : "none") + ", raft term " + this.raftTerm + ", index "
				+ this.raftIndex + ", db " + this.dbSize + " bytes" + (this.errors.isEmpty() ? "" : ", " + this.errors);
	}

}
