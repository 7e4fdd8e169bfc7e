package org.etcdspring.core;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Bad arguments fail with {@link IllegalArgumentException} before any I/O: the transport
 * points at a port where nothing listens, so a call that reached the network would fail
 * with an {@link EtcdUnavailableException} instead.
 */
class EtcdTemplateArgumentTests {

	private final EtcdTransport transport = EtcdTransport.builder(List.of(URI.create("http://127.0.0.1:1"))).build();

	private final EtcdTemplate template = new EtcdTemplate(this.transport);

	@AfterEach
	void close() {
		this.transport.close();
	}

	@Test
	void nullOrEmptyKeysShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.put(null, "v"))
			.withMessage("etcd key must not be null or empty");
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.put("", "v"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.get(""));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.getEntry(null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.delete(""));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.getPrefix(""))
			.withMessage("etcd prefix must not be null or empty");
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.deletePrefix(null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.putIfAbsent("", "v"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.compareAndDelete("", "v"));
		assertThatIllegalArgumentException().isThrownBy(() -> Compare.value(""));
		assertThatIllegalArgumentException().isThrownBy(() -> TxnOp.get(null));
		assertThatIllegalArgumentException().isThrownBy(() -> TxnOp.getFirstCreated(""));
		assertThatIllegalArgumentException().isThrownBy(() -> TxnOp.getLastCreated("p/", 0))
			.withMessageContaining("'revision' must be positive");
	}

	@Test
	void keysWithUnpairedSurrogatesShouldBeRejectedBeforeAnyCall() {
		String key = "config/\uD800x";
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.put(key, "v"))
			.withMessageContaining("unpaired surrogate at index 7");
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.get(key));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.getPrefix(key));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.forEachInPrefix(key, (kv) -> {
		}));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.delete(key));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.deletePrefix(key));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.putIfAbsent(key, "v"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.directory(key).list());
	}

	@Test
	void badPagingSettingsShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.setReadPageSize(0))
			.withMessageContaining("read page size");
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.setMaxPrefixBytes(0))
			.withMessageContaining("max prefix bytes");
	}

	@Test
	void nullValuesShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.put("k", null))
			.withMessage("etcd value must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.replace("k", null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.compareAndSet("k", null, "v"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.compareAndSet("k", "v", null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.compareAndSetRevision("k", 1, null));
		assertThatIllegalArgumentException().isThrownBy(() -> TxnOp.put("k", null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.get("k", null));
	}

	@Test
	void badRangeOptionsShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> TxnOp.getPrefix("p/").limit(0));
		assertThatIllegalArgumentException().isThrownBy(() -> TxnOp.getPrefix("p/").createdAtOrBefore(0));
	}

	@Test
	void fencingALockThatIsNotHeldShouldFailBeforeAnyCall() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.txn().ifHeld(null));
		assertThatIllegalStateException().isThrownBy(() -> this.template.txn().ifHeld(this.template.lock("free")))
			.withMessageContaining("not held");
	}

	@Test
	void impossibleRevisionsShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.compareAndSetRevision("k", -1, "v"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.compareAndDeleteRevision("k", 0));
	}

	@Test
	void nonPositiveTimeoutsShouldBeRejected() {
		EtcdTransport.Builder builder = EtcdTransport.builder(List.of(URI.create("http://127.0.0.1:2379")));
		assertThatIllegalArgumentException().isThrownBy(() -> builder.requestTimeout(Duration.ZERO))
			.withMessageContaining("requestTimeout");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.connectTimeout(Duration.ofSeconds(-1)))
			.withMessageContaining("connectTimeout");
		assertThatIllegalArgumentException().isThrownBy(
				() -> this.transport.call(org.etcdspring.core.transport.EtcdRpc.VERSION, null, null, Duration.ZERO));
	}

	@Test
	void malformedEndpointsShouldBeRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EtcdTransport.builder(List.of(URI.create("ftp://127.0.0.1:2379"))))
			.withMessageContaining("ftp://127.0.0.1:2379");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EtcdTransport.builder(List.of(URI.create("http://127.0.0.1"))))
			.withMessageContaining("port");
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdTransport.builder(List.of()));
	}

}
