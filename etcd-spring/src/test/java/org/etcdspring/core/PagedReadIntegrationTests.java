package org.etcdspring.core;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdRequestObserver;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of prefix reads in pages ({@link EtcdTemplate#getPrefix},
 * {@link EtcdTemplate#forEachInPrefix}) against a real etcd process.
 */
class PagedReadIntegrationTests extends SharedEtcdTemplate {

	@BeforeEach
	void smallPages() {
		template.setReadPageSize(2);
	}

	@AfterEach
	void defaults() {
		template.setReadPageSize(EtcdTemplate.DEFAULT_READ_PAGE_SIZE);
		template.setMaxPrefixBytes(EtcdTemplate.DEFAULT_MAX_PREFIX_BYTES);
	}

	@Test
	void getPrefixShouldReadEveryKeyThroughPages() {
		IntStream.range(0, 7).forEach((i) -> template.put("paged/all/" + i, "v" + i));
		template.put("paged/allx", "outside");
		long before = EtcdAdmin.kvCalls(etcd.endpoint());
		List<KeyValue> entries = template.getPrefix("paged/all/");
		assertThat(entries).extracting(KeyValue::key)
			.containsExactly("paged/all/0", "paged/all/1", "paged/all/2", "paged/all/3", "paged/all/4", "paged/all/5",
					"paged/all/6");
		assertThat(entries).extracting(KeyValue::valueAsString)
			.containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6");
		// Pages of two keys: 2 + 2 + 2 + 1.
		assertThat(EtcdAdmin.kvCalls(etcd.endpoint()) - before).isEqualTo(4);
		template.deletePrefix("paged/all");
	}

	@Test
	void pagesOfSmallValuesShouldGrowToTheConfiguredPageSize() {
		template.setReadPageSize(EtcdTemplate.DEFAULT_READ_PAGE_SIZE);
		IntStream.range(0, 1000).forEach((i) -> template.put("paged/growing/" + String.format("%04d", i), "v"));
		long before = EtcdAdmin.kvCalls(etcd.endpoint());
		assertThat(template.getPrefix("paged/growing/")).hasSize(1000);
		// Pages of 16, 64, 256 and then the remaining 664 of up to 1000 keys.
		assertThat(EtcdAdmin.kvCalls(etcd.endpoint()) - before).isEqualTo(4);
		template.deletePrefix("paged/growing/");
	}

	@Test
	void aPageWhoseAnswerOverflowsShouldBeReadAgainSmallerAtTheSameRevision() {
		template.setReadPageSize(EtcdTemplate.DEFAULT_READ_PAGE_SIZE);
		// 16 tiny values make the first page; the next asks for 64 keys, and 24 values
		// of 1.4 MB take 45 MB in base64, past the 32 MiB a page may take: it is asked
		// again for 32 keys (still past it), then 16 (30 MB), and the last 8 fit.
		IntStream.range(0, 16).forEach((i) -> template.put("paged/overflow/a" + String.format("%02d", i), "tiny"));
		byte[] large = new byte[1_400_000];
		for (int i = 0; i < 24; i++) {
			large[0] = (byte) i;
			template.put("paged/overflow/b" + String.format("%02d", i), large);
		}
		List<KeyValue> seen = new ArrayList<>();
		long before = EtcdAdmin.kvCalls(etcd.endpoint());
		long revision = template.forEachInPrefix("paged/overflow/", (kv) -> {
			if (seen.isEmpty()) {
				// Written after the first page: the pages read again must not show it.
				template.put("paged/overflow/b00", "changed");
				template.delete("paged/overflow/b23");
			}
			seen.add(kv);
		});
		long calls = EtcdAdmin.kvCalls(etcd.endpoint()) - before;
		assertThat(seen).hasSize(40);
		assertThat(seen.subList(0, 16)).extracting(KeyValue::valueAsString).containsOnly("tiny");
		for (int i = 0; i < 24; i++) {
			KeyValue kv = seen.get(16 + i);
			assertThat(kv.key()).isEqualTo("paged/overflow/b" + String.format("%02d", i));
			assertThat(kv.value()).hasSize(1_400_000).startsWith((byte) i);
			assertThat(kv.modRevision()).isLessThanOrEqualTo(revision);
		}
		// Five pages and the two writes of the action.
		assertThat(calls).isEqualTo(5 + 2);
		template.deletePrefix("paged/overflow/");
	}

	@Test
	void theLimitShouldCountKeysInUtf8Bytes() {
		// 17 characters, 22 bytes in UTF-8, and a value of 8 bytes: 25 characters but 30
		// bytes each.
		IntStream.range(0, 4)
			.forEach((i) -> template.put("paged/utf8/\u00e9\u00e9\u00e9\u00e9\u00e9" + i, new byte[8]));
		template.setMaxPrefixBytes(110);
		assertThatExceptionOfType(EtcdPrefixTooLargeException.class).isThrownBy(() -> template.getPrefix("paged/utf8/"))
			.withMessageContaining("(120 bytes in the first 4 keys)");
		template.setMaxPrefixBytes(120);
		assertThat(template.getPrefix("paged/utf8/")).hasSize(4);
		template.deletePrefix("paged/utf8/");
	}

	@Test
	void pagesShouldAllBeReadAtTheRevisionOfTheFirst() {
		IntStream.range(0, 6).forEach((i) -> template.put("paged/snapshot/" + i, "old"));
		List<KeyValue> seen = new ArrayList<>();
		long revision = template.forEachInPrefix("paged/snapshot/", (kv) -> {
			if (seen.isEmpty()) {
				// Written while the read is between pages: none of it may show.
				template.put("paged/snapshot/5", "new");
				template.delete("paged/snapshot/4");
				template.put("paged/snapshot/9", "added");
			}
			seen.add(kv);
		});
		assertThat(seen).extracting(KeyValue::key)
			.containsExactly("paged/snapshot/0", "paged/snapshot/1", "paged/snapshot/2", "paged/snapshot/3",
					"paged/snapshot/4", "paged/snapshot/5");
		assertThat(seen).extracting(KeyValue::valueAsString).containsOnly("old");
		assertThat(seen).allSatisfy((kv) -> assertThat(kv.modRevision()).isLessThanOrEqualTo(revision));
		PrefixSnapshot now = template.getPrefixSnapshot("paged/snapshot/");
		assertThat(now.revision()).isGreaterThan(revision);
		assertThat(now.keyValues()).extracting(KeyValue::key)
			.contains("paged/snapshot/9")
			.doesNotContain("paged/snapshot/4");
		template.deletePrefix("paged/snapshot/");
	}

	@Test
	void aPrefixOverTheLimitShouldFailNamingThePrefixAndTheLimit() {
		IntStream.range(0, 10).forEach((i) -> template.put("paged/large/" + i, new byte[100]));
		template.setMaxPrefixBytes(500);
		assertThatExceptionOfType(EtcdPrefixTooLargeException.class)
			.isThrownBy(() -> template.getPrefix("paged/large/"))
			.withMessageContaining("etcd prefix 'paged/large/'")
			.withMessageContaining("more than 500 bytes")
			.withMessageContaining("etcd.max-prefix-size")
			.withMessageContaining("forEachInPrefix")
			.satisfies((ex) -> assertThat(ex.getMaxBytes()).isEqualTo(500));
		assertThatExceptionOfType(EtcdPrefixTooLargeException.class)
			.isThrownBy(() -> template.directory("paged/large").list());
		long[] bytes = { 0 };
		template.forEachInPrefix("paged/large/", (kv) -> bytes[0] += kv.value().length);
		assertThat(bytes[0]).isEqualTo(1000);
		template.deletePrefix("paged/large/");
	}

	@Test
	void compactionOfTheRevisionBetweenPagesShouldFailClearly() {
		IntStream.range(0, 6).forEach((i) -> template.put("paged/compacted/" + i, "v"));
		List<String> seen = new ArrayList<>();
		assertThatExceptionOfType(EtcdCompactedException.class)
			.isThrownBy(() -> template.forEachInPrefix("paged/compacted/", (kv) -> {
				if (seen.isEmpty()) {
					template.put("paged/compacted/0", "newer");
					EtcdAdmin.compact(etcd.endpoint(), template.getEntry("paged/compacted/0").modRevision());
				}
				seen.add(kv.key());
			}))
			.withMessageContaining("etcd prefix 'paged/compacted/'")
			.withMessageContaining("compacted that revision before the last page");
		assertThat(seen).containsExactly("paged/compacted/0", "paged/compacted/1");
		assertThat(template.getPrefix("paged/compacted/")).hasSize(6);
		template.deletePrefix("paged/compacted/");
	}

	@Test
	void getPrefixShouldStartOverWhenItsRevisionIsCompactedBetweenPages() {
		IntStream.range(0, 5).forEach((i) -> template.put("paged/retried/" + i, "v" + i));
		AtomicInteger ranges = new AtomicInteger();
		try (EtcdTransport compacting = compactingBefore(Set.of(2), ranges)) {
			EtcdTemplate reader = new EtcdTemplate(compacting);
			reader.setReadPageSize(2);
			assertThat(reader.getPrefix("paged/retried/")).extracting(KeyValue::valueAsString)
				.containsExactly("v0", "v1", "v2", "v3", "v4");
			// The second page failed: 2 ranges, then 3 pages from scratch.
			assertThat(ranges).hasValue(5);
			reader.close();
		}
		template.deletePrefix("paged/retried/");
	}

	@Test
	void getPrefixShouldFailClearlyWhenEveryAttemptIsCompacted() {
		IntStream.range(0, 5).forEach((i) -> template.put("paged/unlucky/" + i, "v"));
		try (EtcdTransport compacting = compactingBefore(Set.of(2, 4, 6), new AtomicInteger())) {
			EtcdTemplate reader = new EtcdTemplate(compacting);
			reader.setReadPageSize(2);
			assertThatExceptionOfType(EtcdCompactedException.class).isThrownBy(() -> reader.getPrefix("paged/unlucky/"))
				.withMessageContaining("etcd prefix 'paged/unlucky/'")
				.withMessageContaining("(3 attempt(s))");
			reader.close();
		}
		template.deletePrefix("paged/unlucky/");
	}

	/**
	 * A transport that, before the range calls of the given numbers (counting from 1),
	 * has another client write and compact the history up to that write.
	 */
	private static EtcdTransport compactingBefore(Set<Integer> calls, AtomicInteger ranges) {
		return EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).requestObserver(new EtcdRequestObserver() {

			@Override
			public <R> R observe(String operation, @Nullable String key, Supplier<R> call) {
				if (operation.equals("range") && calls.contains(ranges.incrementAndGet())) {
					template.put("paged/compaction-trigger", "x");
					EtcdAdmin.compact(etcd.endpoint(), template.getEntry("paged/compaction-trigger").modRevision());
				}
				return call.get();
			}

		}).build();
	}

	@Test
	void aNamespacedTemplateShouldPageWithinItsNamespace() {
		EtcdTemplate namespaced = new EtcdTemplate(transport, new EtcdValueConverter(), Namespace.of("/paged-ns"),
				ReadConsistency.SERIALIZABLE);
		namespaced.setReadPageSize(1);
		IntStream.range(0, 3).forEach((i) -> namespaced.put("k" + i, "v"));
		template.put("/paged-ns0/k9", "sibling");
		assertThat(namespaced.getPrefix("k")).extracting(KeyValue::key).containsExactly("k0", "k1", "k2");
		assertThat(template.getPrefix("/paged-ns/")).hasSize(3);
		template.deletePrefix("/paged-ns");
	}

}
