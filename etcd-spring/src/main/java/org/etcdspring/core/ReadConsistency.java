package org.etcdspring.core;

/**
 * How reads are served.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public enum ReadConsistency {

	/**
	 * Read through the Raft leader's quorum: the result reflects every write acknowledged
	 * before the read started. The default.
	 */
	LINEARIZABLE,

	/**
	 * Read from the local state of whichever member answers: faster and available without
	 * a leader, but possibly stale.
	 */
	SERIALIZABLE

}
