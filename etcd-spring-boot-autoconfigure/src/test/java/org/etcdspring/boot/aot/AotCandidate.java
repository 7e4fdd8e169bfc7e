package org.etcdspring.boot.aot;

import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;

/**
 * A Spring Integration leader candidate of {@link AotApplication}, present only where
 * Spring Integration is: it records whether it was granted leadership.
 *
 * @author etcd-spring
 */
class AotCandidate extends DefaultCandidate {

	static final String ROLE = "aot-integration";

	private volatile boolean granted;

	AotCandidate() {
		super("aot-candidate", ROLE);
	}

	@Override
	public void onGranted(Context context) {
		this.granted = true;
	}

	boolean isGranted() {
		return this.granted;
	}

}
