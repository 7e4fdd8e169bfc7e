package org.etcdspring.sample;

import java.util.List;

import org.etcdspring.EtcdOperations;
import org.etcdspring.directory.EtcdDirectory;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A work queue on etcd's in-order keys: {@code POST /queue} adds a job,
 * {@code GET /queue} lists the jobs oldest first.
 *
 * @author etcd-spring
 */
@RestController
@RequestMapping("/queue")
class QueueController {

	private final EtcdDirectory queue;

	QueueController(EtcdOperations etcd) {
		this.queue = etcd.directory("queue");
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	KeyController.Entry enqueue(@RequestBody String job) {
		return KeyController.Entry.of(this.queue.enqueue(job));
	}

	@GetMapping
	List<KeyController.Entry> jobs() {
		return this.queue.entries().stream().map(KeyController.Entry::of).toList();
	}

}
