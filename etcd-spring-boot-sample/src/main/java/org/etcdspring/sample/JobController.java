package org.etcdspring.sample;

import org.etcdspring.EtcdOperations;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /jobs/report}: which instance ran the leader-only job last, and when.
 *
 * @author etcd-spring
 */
@RestController
class JobController {

	private final EtcdOperations etcd;

	JobController(EtcdOperations etcd) {
		this.etcd = etcd;
	}

	@GetMapping("/jobs/report")
	ResponseEntity<ReportJob.LastRun> lastRun() {
		ReportJob.LastRun lastRun = this.etcd.get(ReportJob.LAST_RUN_KEY, ReportJob.LastRun.class);
		return (lastRun != null) ? ResponseEntity.ok(lastRun) : ResponseEntity.notFound().build();
	}

}
