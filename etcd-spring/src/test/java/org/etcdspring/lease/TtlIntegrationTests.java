package org.etcdspring.lease;

import java.time.Duration;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.KeyValue;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Keys with a time to live through {@link EtcdTemplate}, against a real etcd process.
 */
class TtlIntegrationTests extends SharedEtcdTemplate {

	@Test
	void keyWithTtlShouldBeGoneAfterExpiry() throws Exception {
		template.put("ttl/expiring", "v", Duration.ofSeconds(2));
		assertThat(template.get("ttl/expiring")).isEqualTo("v");
		assertThat(template.ttl("ttl/expiring"))
			.hasValueSatisfying((ttl) -> assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2)));
		awaitGone("ttl/expiring", Duration.ofSeconds(5));
	}

	@Test
	void refreshShouldExtendTheTtl() throws Exception {
		template.put("ttl/refreshed", "v", Duration.ofSeconds(2));
		for (int i = 0; i < 4; i++) {
			Thread.sleep(1000);
			assertThat(template.refresh("ttl/refreshed")).isTrue();
		}
		// 4 s after a put with a 2 s TTL: alive only because of the refreshes.
		assertThat(template.get("ttl/refreshed")).isEqualTo("v");
		awaitGone("ttl/refreshed", Duration.ofSeconds(5));
		assertThat(template.refresh("ttl/refreshed")).isFalse();
	}

	@Test
	void persistShouldKeepTheKeyForever() throws Exception {
		template.put("ttl/persisted", "v", Duration.ofSeconds(2));
		long lease = template.getEntry("ttl/persisted").lease();
		assertThat(template.persist("ttl/persisted")).isTrue();
		assertThat(template.getEntry("ttl/persisted").lease()).isZero();
		assertThat(template.ttl("ttl/persisted")).isEmpty();
		// The key's own lease had no other key: it was revoked rather than left to
		// expire.
		assertThat(template.leases().timeToLive(lease, false)).isEmpty();
		Thread.sleep(3000);
		assertThat(template.get("ttl/persisted")).isEqualTo("v");
		assertThat(template.persist("ttl/missing")).isFalse();
	}

	@Test
	void refreshWithTtlShouldChangeTheTtlAndKeepTheValue() throws Exception {
		template.put("ttl/changed", "value", Duration.ofSeconds(2));
		KeyValue before = template.getEntry("ttl/changed");
		assertThat(template.refresh("ttl/changed", Duration.ofSeconds(30))).isTrue();
		KeyValue after = template.getEntry("ttl/changed");
		assertThat(after.valueAsString()).isEqualTo("value");
		assertThat(after.createRevision()).isEqualTo(before.createRevision());
		assertThat(after.modRevision()).isEqualTo(before.modRevision() + 1);
		assertThat(after.version()).isEqualTo(before.version() + 1);
		assertThat(after.lease()).isNotEqualTo(before.lease());
		assertThat(template.leases().timeToLive(before.lease(), false)).isEmpty();
		assertThat(template.ttl("ttl/changed"))
			.hasValueSatisfying((ttl) -> assertThat(ttl).isGreaterThan(Duration.ofSeconds(20)));
		Thread.sleep(3000);
		assertThat(template.get("ttl/changed")).isEqualTo("value");
		assertThat(template.refresh("ttl/missing", Duration.ofSeconds(5))).isFalse();
	}

	@Test
	void refreshOfAKeyWithoutTtlShouldSucceedWithoutGivingItOne() {
		template.put("ttl/none", "v");
		assertThat(template.refresh("ttl/none")).isTrue();
		assertThat(template.ttl("ttl/none")).isEmpty();
		assertThat(template.refresh("ttl/absent")).isFalse();
	}

	@Test
	void badTtlShouldBeRejectedBeforeAnyCall() {
		assertThatIllegalArgumentException().isThrownBy(() -> template.put("ttl/bad", "v", Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> template.refresh("ttl/bad", Duration.ofSeconds(-2)));
		assertThatIllegalArgumentException().isThrownBy(() -> template.put("", "v", Duration.ofSeconds(2)));
		assertThat(template.get("ttl/bad")).isNull();
	}

	private static void awaitGone(String key, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (template.get(key) != null) {
			assertThat(System.nanoTime()).as("%s still present after %s", key, timeout).isLessThan(deadline);
			Thread.sleep(100);
		}
	}

}
