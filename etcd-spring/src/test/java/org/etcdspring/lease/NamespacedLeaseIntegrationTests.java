package org.etcdspring.lease;

import java.time.Duration;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdValueConverter;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.ReadConsistency;
import org.etcdspring.core.TxnOp;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Lease operations of a namespaced template stay inside its namespace, against a real
 * etcd process.
 */
class NamespacedLeaseIntegrationTests extends SharedEtcdTemplate {

	private final EtcdTemplate namespaced = new EtcdTemplate(transport, new EtcdValueConverter(), Namespace.of("/ns/"),
			ReadConsistency.LINEARIZABLE);

	@AfterEach
	void close() {
		this.namespaced.close();
	}

	@Test
	void timeToLiveShouldListOnlyKeysInsideTheNamespaceWithoutIt() {
		Lease lease = template.leases().grant(Duration.ofSeconds(30));
		template.txn()
			.then(TxnOp.put("/ns/mine", "v", lease.id()), TxnOp.put("/other/leased", "secret", lease.id()),
					TxnOp.put("/ns0/sibling", "v", lease.id()))
			.commit();
		assertThat(this.namespaced.leases().timeToLive(lease.id(), true).orElseThrow().keys()).containsExactly("mine");
		assertThat(template.leases().timeToLive(lease.id(), true).orElseThrow().keys())
			.containsExactlyInAnyOrder("/ns/mine", "/other/leased", "/ns0/sibling");
		template.leases().revoke(lease.id());
	}

	@Test
	void revokeShouldRefuseALeaseHoldingKeysOutsideTheNamespace() {
		Lease lease = template.leases().grant(Duration.ofSeconds(30));
		template.txn()
			.then(TxnOp.put("/ns/mine", "v", lease.id()), TxnOp.put("/other/leased", "v", lease.id()))
			.commit();
		assertThatExceptionOfType(EtcdException.class).isThrownBy(() -> this.namespaced.leases().revoke(lease.id()))
			.withMessageContaining("holds 1 key(s) outside the namespace '/ns/'")
			.withMessageContaining("not revoked");
		assertThat(template.get("/other/leased")).isEqualTo("v");
		assertThat(template.get("/ns/mine")).isEqualTo("v");
		assertThat(template.leases().timeToLive(lease.id(), false)).isPresent();
		template.leases().revoke(lease.id());
		assertThat(template.get("/other/leased")).isNull();
	}

	@Test
	void revokeShouldDeleteALeaseWhoseKeysAreAllInsideTheNamespace() {
		Lease lease = this.namespaced.leases().grant(Duration.ofSeconds(30));
		this.namespaced.txn().then(TxnOp.put("a", "v", lease.id()), TxnOp.put("b", "v", lease.id())).commit();
		assertThat(this.namespaced.leases().revoke(lease.id())).isTrue();
		assertThat(this.namespaced.getPrefix("a")).isEmpty();
		assertThat(template.get("/ns/b")).isNull();
		assertThat(this.namespaced.leases().revoke(lease.id())).isFalse();
	}

	@Test
	void keysWrittenWithATtlShouldStillBeRefreshedAndPersistedInsideTheNamespace() {
		this.namespaced.put("ttl", "v", Duration.ofSeconds(30));
		assertThat(this.namespaced.ttl("ttl")).isPresent();
		assertThat(this.namespaced.persist("ttl")).isTrue();
		assertThat(this.namespaced.ttl("ttl")).isEmpty();
		this.namespaced.delete("ttl");
	}

}
