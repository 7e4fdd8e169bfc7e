package org.etcdspring.sample;

import java.util.List;
import java.util.Map;

import org.etcdspring.EtcdOperations;
import org.etcdspring.core.KeyValue;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Keys and values over HTTP: {@code /keys/{key}} to read, write and delete,
 * {@code /keys?prefix=} to list, {@code /keys/{key}/cas} to compare and swap.
 *
 * @author etcd-spring
 */
@RestController
@RequestMapping("/keys")
class KeyController {

	private final EtcdOperations etcd;

	KeyController(EtcdOperations etcd) {
		this.etcd = etcd;
	}

	@GetMapping("/{key}")
	ResponseEntity<Entry> get(@PathVariable String key) {
		KeyValue entry = this.etcd.getEntry(key);
		return (entry != null) ? ResponseEntity.ok(Entry.of(entry)) : ResponseEntity.notFound().build();
	}

	@GetMapping
	List<Entry> list(@RequestParam String prefix) {
		return this.etcd.getPrefix(prefix).stream().map(Entry::of).toList();
	}

	@PutMapping("/{key}")
	Entry put(@PathVariable String key, @RequestBody String value) {
		this.etcd.put(key, value);
		return Entry.of(this.etcd.getEntry(key));
	}

	@PostMapping("/{key}/cas")
	ResponseEntity<Map<String, Boolean>> compareAndSet(@PathVariable String key, @RequestParam long revision,
			@RequestBody String value) {
		boolean swapped = this.etcd.compareAndSetRevision(key, revision, value);
		return ResponseEntity.status(swapped ? 200 : 409).body(Map.of("swapped", swapped));
	}

	@DeleteMapping("/{key}")
	ResponseEntity<Void> delete(@PathVariable String key) {
		return this.etcd.delete(key) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
	}

	record Entry(String key, String value, long createRevision, long modRevision, long version) {

		static Entry of(KeyValue kv) {
			return new Entry(kv.key(), kv.valueAsString(), kv.createRevision(), kv.modRevision(), kv.version());
		}

	}

}
