package org.etcdspring.core;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Prefix reads of entries larger than etcd's default allows, on an etcd that accepts
 * requests of up to 40 MiB: a single entry whose answer exceeds the 32 MiB bound of a
 * page fails the read naming it; one that exceeds only the smaller bound of a read into
 * memory near its limit is still read, and judged against the limit.
 */
class LargeEntryPagingTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension
		.using(EtcdLocalCluster.builder().extraArgs(List.of("--max-request-bytes=" + 40 * 1024 * 1024)));

	private static EtcdTransport transport;

	private static EtcdTemplate template;

	@BeforeAll
	static void createTemplate() {
		transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
		template = new EtcdTemplate(transport);
	}

	@AfterEach
	void deleteAndCompact() {
		template.setMaxPrefixBytes(EtcdTemplate.DEFAULT_MAX_PREFIX_BYTES);
		template.deletePrefix("large/");
		EtcdAdmin.compact(etcd.endpoint(), template.txn().commit().revision());
	}

	@AfterAll
	static void closeTemplate() {
		template.close();
		transport.close();
	}

	@Test
	void anEntryLargerThanAPageShouldFailTheReadNamingItAndTheBound() {
		template.put("large/a", "small");
		// 25 MiB: 33.3 MiB in base64, past the 32 MiB a page may take.
		template.put("large/b\nforged", new byte[25 * 1024 * 1024]);
		template.put("large/c", "small");
		List<String> seen = new ArrayList<>();
		assertThatExceptionOfType(EtcdResponseTooLargeException.class)
			.isThrownBy(() -> template.forEachInPrefix("large/", (kv) -> seen.add(kv.key())))
			.withMessageStartingWith("etcd key 'large/b\\nforged' under prefix 'large/' is too large to read in a page")
			.withMessageContaining("larger than 33554432 bytes")
			.satisfies((ex) -> assertThat(ex.getMaxBytes()).isEqualTo(32L * 1024 * 1024))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("large/b\nforged"));
		assertThat(seen).containsExactly("large/a");
	}

	@Test
	void anEntryPastTheSmallerBoundOfAReadIntoMemoryShouldStillBeReadWithinTheLimit() {
		template.setMaxPrefixBytes(8L * 1024 * 1024);
		// 7 MiB: 9.3 MiB in base64, past the 8 MiB bound of a page near the limit, but
		// within the limit itself.
		template.put("large/seven", new byte[7 * 1024 * 1024]);
		assertThat(template.getPrefix("large/")).singleElement()
			.satisfies((kv) -> assertThat(kv.value()).hasSize(7 * 1024 * 1024));
		template.put("large/nine", new byte[9 * 1024 * 1024]);
		assertThatExceptionOfType(EtcdPrefixTooLargeException.class).isThrownBy(() -> template.getPrefix("large/"))
			.withMessageStartingWith("etcd prefix 'large/' holds more than 8388608 bytes");
	}

}
