package org.etcdspring.directory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.etcdspring.core.KeyValue;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link EtcdDirectory} and in-order keys against a real etcd process.
 */
@Tag("wire-format")
class EtcdDirectoryIntegrationTests extends SharedEtcdTemplate {

	@Test
	void createShouldWriteTheMarkerOnce() {
		EtcdDirectory directory = template.directory("dirs/created");
		assertThat(directory.exists()).isFalse();
		assertThat(directory.create()).isTrue();
		assertThat(directory.create()).isFalse();
		assertThat(directory.exists()).isTrue();
		assertThat(template.get("dirs/created/")).isEmpty();
		assertThat(directory.list()).isEmpty();
	}

	@Test
	void listShouldShowChildrenAndSubdirectories() {
		EtcdDirectory directory = template.directory("dirs/listed/");
		directory.create();
		directory.put("b", "2");
		directory.put("a", "1");
		template.put("dirs/listed/sub/x", "3");
		template.put("dirs/listed/sub/deeper/y", "4");
		template.directory("dirs/listed/empty").create();
		template.put("dirs/listedness", "outside");
		assertThat(directory.list()).extracting(DirectoryEntry::name, DirectoryEntry::directory)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("a", false),
					org.assertj.core.groups.Tuple.tuple("b", false), org.assertj.core.groups.Tuple.tuple("empty", true),
					org.assertj.core.groups.Tuple.tuple("sub", true));
		assertThat(directory.list().get(0).kv().valueAsString()).isEqualTo("1");
		assertThat(directory.list(true)).extracting(DirectoryEntry::name)
			.containsExactly("a", "b", "empty", "sub", "sub/deeper", "sub/deeper/y", "sub/x");
		assertThat(directory.get("a")).isEqualTo("1");
	}

	@Test
	void deleteOfANonEmptyDirectoryShouldFailAndLeaveEverything() {
		EtcdDirectory directory = template.directory("dirs/full");
		directory.create();
		directory.put("child", "v");
		assertThatExceptionOfType(EtcdDirectoryNotEmptyException.class).isThrownBy(directory::delete)
			.withMessageContaining("dirs/full")
			.withMessageContaining("dirs/full/child");
		assertThat(template.get("dirs/full/")).isEmpty();
		assertThat(template.get("dirs/full/child")).isEqualTo("v");
	}

	@Test
	void deleteOfAnEmptyDirectoryShouldRemoveTheMarker() {
		EtcdDirectory directory = template.directory("dirs/empty");
		directory.create();
		template.put("dirs/emptyish", "a sibling that only shares the name's start");
		assertThat(directory.delete()).isTrue();
		assertThat(directory.exists()).isFalse();
		assertThat(directory.delete()).isFalse();
		assertThat(template.get("dirs/emptyish")).isNotNull();
	}

	@Test
	void deleteRecursiveShouldRemoveEverythingUnderTheDirectoryOnly() {
		EtcdDirectory directory = template.directory("dirs/recursive");
		directory.create();
		directory.put("a", "1");
		template.put("dirs/recursive/sub/b", "2");
		template.put("dirs/recursive2", "outside");
		assertThat(directory.deleteRecursive()).isEqualTo(3);
		assertThat(directory.exists()).isFalse();
		assertThat(template.get("dirs/recursive2")).isEqualTo("outside");
	}

	@Test
	void directoryWithTtlShouldVanishWithItsChildren() throws Exception {
		EtcdDirectory directory = template.directory("dirs/expiring");
		assertThat(directory.create(Duration.ofSeconds(2))).isTrue();
		directory.put("child", "v");
		KeyValue queued = directory.enqueue("job");
		assertThat(template.getEntry("dirs/expiring/child").lease())
			.isEqualTo(template.getEntry("dirs/expiring/").lease())
			.isNotZero();
		assertThat(queued.lease()).isEqualTo(template.getEntry("dirs/expiring/").lease());
		Thread.sleep(3500);
		assertThat(directory.exists()).isFalse();
		assertThat(template.get("dirs/expiring/child")).isNull();
	}

	@Test
	void refreshShouldExtendADirectoryAndItsChildren() throws Exception {
		EtcdDirectory directory = template.directory("dirs/refreshed");
		directory.create(Duration.ofSeconds(2));
		directory.put("child", "v");
		long firstLease = template.getEntry("dirs/refreshed/").lease();
		Thread.sleep(1200);
		assertThat(directory.refresh(Duration.ofSeconds(2))).isTrue();
		assertThat(template.getEntry("dirs/refreshed/").lease()).isEqualTo(firstLease);
		assertThat(directory.refresh(Duration.ofSeconds(30))).isTrue();
		long secondLease = template.getEntry("dirs/refreshed/").lease();
		assertThat(secondLease).isNotEqualTo(firstLease);
		assertThat(template.getEntry("dirs/refreshed/child").lease()).isEqualTo(secondLease);
		assertThat(template.leases().timeToLive(firstLease, false)).isEmpty();
		Thread.sleep(2500);
		assertThat(template.get("dirs/refreshed/child")).isEqualTo("v");
		assertThat(template.directory("dirs/never").refresh(Duration.ofSeconds(5))).isFalse();
	}

	@Test
	void refreshShouldMoveEveryKeyOfADirectoryLargerThanOneTransaction() throws Exception {
		EtcdDirectory directory = template.directory("dirs/many");
		directory.create(Duration.ofSeconds(60));
		long firstLease = template.getEntry("dirs/many/").lease();
		// More keys than etcd's --max-txn-ops (128) allows in one transaction
		for (int i = 0; i < 300; i++) {
			directory.put(String.format("%03d", i), "v" + i);
		}
		template.put("dirs/many/without-lease", "x");
		template.put("dirs/manyx", "outside");
		AtomicBoolean writing = new AtomicBoolean(true);
		AtomicInteger written = new AtomicInteger();
		ExecutorService writer = Executors.newSingleThreadExecutor();
		Future<?> writes = writer.submit(() -> {
			while (writing.get()) {
				directory.put("hot", "w" + written.incrementAndGet());
			}
		});
		try {
			while (written.get() < 3) {
				Thread.sleep(10);
			}
			assertThat(directory.refresh(Duration.ofSeconds(120))).isTrue();
		}
		finally {
			writing.set(false);
			writes.get(30, TimeUnit.SECONDS);
			writer.shutdown();
		}
		long secondLease = template.getEntry("dirs/many/").lease();
		assertThat(secondLease).isNotIn(0L, firstLease);
		List<KeyValue> keys = template.getPrefix("dirs/many/");
		assertThat(keys).hasSize(1 + 300 + 1 + 1).allSatisfy((kv) -> assertThat(kv.lease()).isEqualTo(secondLease));
		assertThat(template.get("dirs/many/hot")).isEqualTo("w" + written.get());
		assertThat(template.getEntry("dirs/manyx").lease()).isZero();
		assertThat(template.leases().timeToLive(firstLease, false)).isEmpty();
		directory.deleteRecursive();
		template.delete("dirs/manyx");
	}

	@Test
	void enqueueShouldCreateInOrderKeys() {
		EtcdDirectory queue = template.directory("dirs/queue");
		KeyValue first = queue.enqueue("first");
		KeyValue second = queue.enqueue("second");
		assertThat(first.key()).matches("dirs/queue/\\d{20}");
		assertThat(second.key()).isGreaterThan(first.key());
		assertThat(first.valueAsString()).isEqualTo("first");
		assertThat(first.createRevision()).isPositive();
		queue.put("not-in-order", "x");
		assertThat(queue.entries()).extracting(KeyValue::valueAsString).containsExactly("first", "second");
	}

	@Test
	void concurrentEnqueuesShouldGiveUniqueKeysInCreationOrder() throws Exception {
		EtcdDirectory queue = template.directory("dirs/concurrent");
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<List<KeyValue>>> results = new ArrayList<>();
			for (int thread = 0; thread < 4; thread++) {
				int id = thread;
				results.add(threads.submit(() -> {
					List<KeyValue> created = new ArrayList<>();
					for (int i = 0; i < 100; i++) {
						created.add(queue.enqueue(id + ":" + i));
					}
					return created;
				}));
			}
			List<KeyValue> created = new ArrayList<>();
			for (Future<List<KeyValue>> result : results) {
				created.addAll(result.get(120, TimeUnit.SECONDS));
			}
			List<KeyValue> entries = queue.entries();
			assertThat(entries).hasSize(400);
			assertThat(entries).extracting(KeyValue::key).doesNotHaveDuplicates();
			List<Long> createRevisions = entries.stream().map(KeyValue::createRevision).toList();
			List<Long> sorted = new ArrayList<>(createRevisions);
			Collections.sort(sorted);
			assertThat(createRevisions).isEqualTo(sorted);
			assertThat(created).extracting(KeyValue::key)
				.containsExactlyInAnyOrderElementsOf(entries.stream().map(KeyValue::key).toList());
			// Each thread's own items come out in the order it added them.
			for (int thread = 0; thread < 4; thread++) {
				String id = thread + ":";
				assertThat(entries.stream().map(KeyValue::valueAsString).filter((v) -> v.startsWith(id)).toList())
					.isEqualTo(java.util.stream.IntStream.range(0, 100).mapToObj((i) -> id + i).toList());
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void badPathsShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> template.directory(""));
		assertThatIllegalArgumentException().isThrownBy(() -> template.directory("/"));
		assertThatIllegalArgumentException().isThrownBy(() -> template.directory("d").put("", "v"));
		assertThatIllegalArgumentException().isThrownBy(() -> template.directory("d").enqueue(null));
	}

}
