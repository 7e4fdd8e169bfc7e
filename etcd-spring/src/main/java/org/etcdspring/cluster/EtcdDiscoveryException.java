package org.etcdspring.cluster;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;

/**
 * Thrown when discovery found no etcd member to connect to: the discovery source could
 * not be reached, or it named no usable member.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdDiscoveryException extends EtcdException {

	private final String source;

	private final String problem;

	public EtcdDiscoveryException(String source, String problem, @Nullable Throwable cause) {
		super("etcd discovery through '" + source + "' failed: " + problem, "discovery", null, null, cause);
		this.source = source;
		this.problem = problem;
	}

	/**
	 * The discovery source, a token URL or {@code srv:<domain>}.
	 * @return the source
	 */
	public String getSource() {
		return this.source;
	}

	/**
	 * What went wrong and what the source held.
	 * @return the problem
	 */
	public String getProblem() {
		return this.problem;
	}

}
