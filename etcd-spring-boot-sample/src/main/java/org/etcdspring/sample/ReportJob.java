package org.etcdspring.sample;

import java.time.Instant;

import org.etcdspring.EtcdOperations;
import org.etcdspring.leader.EtcdLeader;
import org.etcdspring.leader.EtcdLeaderRoles;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A scheduled job that only the elected instance runs: it records which instance ran it
 * last under {@code jobs/report}.
 *
 * @author etcd-spring
 */
@Component
class ReportJob {

	static final String LAST_RUN_KEY = "jobs/report";

	private final EtcdOperations etcd;

	private final EtcdLeaderRoles roles;

	ReportJob(EtcdOperations etcd, EtcdLeaderRoles roles) {
		this.etcd = etcd;
		this.roles = roles;
	}

	@Scheduled(fixedDelayString = "${sample.report.interval:2s}")
	@EtcdLeader("report")
	void run() {
		this.etcd.put(LAST_RUN_KEY, new LastRun(this.roles.getId(), Instant.now().toString()));
	}

	record LastRun(String instance, String at) {
	}

}
