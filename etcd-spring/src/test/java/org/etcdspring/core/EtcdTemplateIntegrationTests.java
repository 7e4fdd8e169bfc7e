package org.etcdspring.core;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.etcdspring.EtcdOperations;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link EtcdTemplate} against a real etcd process.
 */
@Tag("wire-format")
class EtcdTemplateIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private static EtcdTransport transport;

	private static EtcdTemplate template;

	@BeforeAll
	static void createTemplate() {
		transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
		template = new EtcdTemplate(transport);
	}

	@AfterAll
	static void closeTransport() {
		transport.close();
	}

	@Test
	void putThenGetShouldReturnTheText() {
		template.put("text/key", "héllo wörld");
		assertThat(template.get("text/key")).isEqualTo("héllo wörld");
	}

	@Test
	void getWhenMissingShouldReturnNull() {
		assertThat(template.get("missing/key")).isNull();
		assertThat(template.get("missing/key", Order.class)).isNull();
		assertThat(template.getEntry("missing/key")).isNull();
	}

	@Test
	void bytesShouldRoundTripUnchanged() {
		byte[] bytes = { 0, 1, (byte) 0xff, (byte) 0x80, 10, 13, 0 };
		template.put("bytes/key", bytes);
		assertThat(template.get("bytes/key", byte[].class)).containsExactly(bytes);
	}

	@Test
	void emptyValueShouldRoundTrip() {
		template.put("empty/key", "");
		assertThat(template.get("empty/key")).isEmpty();
		assertThat(template.getEntry("empty/key")).isNotNull();
	}

	@Test
	void objectsShouldRoundTripAsJson() {
		Order order = new Order("o-1", 3, List.of("apple", "pear"), Map.of("rush", true));
		template.put("json/order", order);
		assertThat(template.get("json/order", Order.class)).isEqualTo(order);
		assertThat(template.get("json/order")).contains("\"id\":\"o-1\"");
		template.put("json/number", 42);
		assertThat(template.get("json/number", Integer.class)).isEqualTo(42);
	}

	@Test
	void getAsWrongTypeShouldFailNamingTheType() {
		template.put("json/not-an-order", "plain text");
		assertThatExceptionOfType(EtcdException.class).isThrownBy(() -> template.get("json/not-an-order", Order.class))
			.withMessageContaining(Order.class.getName());
	}

	@Test
	void getEntryShouldCarryRevisionsAndVersion() {
		template.put("entry/key", "v1");
		KeyValue first = template.getEntry("entry/key");
		template.put("entry/key", "v2");
		KeyValue second = template.getEntry("entry/key");
		assertThat(first.key()).isEqualTo("entry/key");
		assertThat(first.version()).isEqualTo(1);
		assertThat(second.version()).isEqualTo(2);
		assertThat(second.createRevision()).isEqualTo(first.createRevision());
		assertThat(second.modRevision()).isGreaterThan(first.modRevision());
		assertThat(second.lease()).isZero();
		assertThat(second.valueAsString()).isEqualTo("v2");
	}

	@Test
	void getPrefixShouldReturnMatchingKeysInKeyOrder() {
		template.put("prefix/b", "2");
		template.put("prefix/a", "1");
		template.put("prefix/c/d", "3");
		template.put("prefiy", "outside");
		assertThat(template.getPrefix("prefix/")).extracting(KeyValue::key)
			.containsExactly("prefix/a", "prefix/b", "prefix/c/d");
	}

	@Test
	void deleteShouldSayWhetherTheKeyExisted() {
		template.put("delete/key", "v");
		assertThat(template.delete("delete/key")).isTrue();
		assertThat(template.delete("delete/key")).isFalse();
		assertThat(template.get("delete/key")).isNull();
	}

	@Test
	void deletePrefixShouldDeleteOnlyMatchingKeys() {
		template.put("dp/a", "1");
		template.put("dp/b", "2");
		template.put("dq", "3");
		assertThat(template.deletePrefix("dp/")).isEqualTo(2);
		assertThat(template.getPrefix("dp/")).isEmpty();
		assertThat(template.get("dq")).isEqualTo("3");
	}

	@Test
	void putIfAbsentShouldOnlyCreate() {
		assertThat(template.putIfAbsent("pia/key", "first")).isTrue();
		assertThat(template.putIfAbsent("pia/key", "second")).isFalse();
		assertThat(template.get("pia/key")).isEqualTo("first");
	}

	@Test
	void replaceShouldOnlyUpdate() {
		assertThat(template.replace("replace/key", "first")).isFalse();
		assertThat(template.get("replace/key")).isNull();
		template.put("replace/key", "first");
		assertThat(template.replace("replace/key", "second")).isTrue();
		assertThat(template.get("replace/key")).isEqualTo("second");
	}

	@Test
	void compareAndSetShouldCompareValues() {
		template.put("cas/key", new Order("o", 1, List.of(), Map.of()));
		assertThat(template.compareAndSet("cas/key", new Order("o", 2, List.of(), Map.of()), "x")).isFalse();
		assertThat(template.compareAndSet("cas/key", new Order("o", 1, List.of(), Map.of()), "x")).isTrue();
		assertThat(template.get("cas/key")).isEqualTo("x");
		assertThat(template.compareAndSet("cas/missing", "x", "y")).isFalse();
		assertThat(template.get("cas/missing")).isNull();
	}

	@Test
	void compareAndSetRevisionShouldCompareModRevision() {
		template.put("casr/key", "v1");
		long revision = template.getEntry("casr/key").modRevision();
		assertThat(template.compareAndSetRevision("casr/key", revision, "v2")).isTrue();
		assertThat(template.compareAndSetRevision("casr/key", revision, "v3")).isFalse();
		assertThat(template.get("casr/key")).isEqualTo("v2");
		assertThat(template.compareAndSetRevision("casr/new", 0, "created")).isTrue();
		assertThat(template.compareAndSetRevision("casr/new", 0, "again")).isFalse();
	}

	@Test
	void compareAndDeleteShouldCompareValue() {
		template.put("cad/key", "v1");
		assertThat(template.compareAndDelete("cad/key", "other")).isFalse();
		assertThat(template.get("cad/key")).isEqualTo("v1");
		assertThat(template.compareAndDelete("cad/key", "v1")).isTrue();
		assertThat(template.get("cad/key")).isNull();
	}

	@Test
	void compareAndDeleteRevisionShouldCompareModRevision() {
		template.put("cadr/key", "v1");
		long revision = template.getEntry("cadr/key").modRevision();
		template.put("cadr/key", "v2");
		assertThat(template.compareAndDeleteRevision("cadr/key", revision)).isFalse();
		long current = template.getEntry("cadr/key").modRevision();
		assertThat(template.compareAndDeleteRevision("cadr/key", current)).isTrue();
		assertThat(template.get("cadr/key")).isNull();
	}

	@Test
	void txnShouldRunThenBranchWhenAllComparesHold() {
		template.put("txn/a", "1");
		template.put("txn/b", "2");
		KeyValue a = template.getEntry("txn/a");
		TxnResult result = template.txn()
			.when(Compare.value("txn/a").isEqualTo("1"), Compare.version("txn/a").isEqualTo(1L),
					Compare.createRevision("txn/a").isEqualTo(a.createRevision()),
					Compare.modRevision("txn/a").isLessThan(a.modRevision() + 1), Compare.exists("txn/b"),
					Compare.absent("txn/c"), Compare.lease("txn/a").isEqualTo(0L))
			.then(TxnOp.put("txn/c", "3"), TxnOp.get("txn/a"), TxnOp.delete("txn/b"), TxnOp.getPrefix("txn/"))
			.otherwise(TxnOp.get("txn/b"))
			.commit();
		assertThat(result.succeeded()).isTrue();
		assertThat(result.results()).hasSize(4);
		assertThat(result.results().get(0)).isInstanceOf(TxnResult.OpResult.PutResult.class);
		assertThat(result.kvs(1)).extracting(KeyValue::valueAsString).containsExactly("1");
		assertThat(result.results().get(2)).isEqualTo(new TxnResult.OpResult.DeleteResult(1));
		assertThat(result.kvs(3)).extracting(KeyValue::key).containsExactly("txn/a", "txn/c");
		assertThat(result.revision()).isEqualTo(template.getEntry("txn/c").modRevision());
		assertThat(template.get("txn/b")).isNull();
	}

	@Test
	void txnGetShouldReadInCreationOrderLimitedAndUpToACreateRevision() {
		template.put("created/b", "first");
		template.put("created/a", "second");
		template.put("created/c", "third");
		long second = template.getEntry("created/a").createRevision();
		TxnResult result = template.txn()
			.then(TxnOp.getPrefix("created/").oldestFirst(), TxnOp.getPrefix("created/").newestFirst().limit(1),
					TxnOp.getPrefix("created/").newestFirst().createdAtOrBefore(second),
					TxnOp.getPrefix("created/").oldestFirst().createdAtOrBefore(second - 1).limit(5))
			.commit();
		assertThat(result.kvs(0)).extracting(KeyValue::key).containsExactly("created/b", "created/a", "created/c");
		assertThat(result.kvs(1)).extracting(KeyValue::key).containsExactly("created/c");
		assertThat(result.kvs(2)).extracting(KeyValue::key).containsExactly("created/a", "created/b");
		assertThat(result.kvs(3)).extracting(KeyValue::key).containsExactly("created/b");
	}

	@Test
	void txnShouldRunOtherwiseBranchWhenACompareFails() {
		template.put("txn2/a", "1");
		TxnResult result = template.txn()
			.when(Compare.value("txn2/a").isEqualTo("1"), Compare.value("txn2/a").isGreaterThan("5"))
			.then(TxnOp.put("txn2/a", "changed"))
			.otherwise(TxnOp.get("txn2/a"), TxnOp.deletePrefix("txn2/none/"))
			.commit();
		assertThat(result.succeeded()).isFalse();
		assertThat(result.kvs(0)).extracting(KeyValue::valueAsString).containsExactly("1");
		assertThat(result.results().get(1)).isEqualTo(new TxnResult.OpResult.DeleteResult(0));
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> result.kvs(1));
		assertThat(template.get("txn2/a")).isEqualTo("1");
	}

	@Test
	void firstAndLastCreatedReadsShouldPickByCreateRevision() {
		// Key order and creation order differ on purpose.
		template.put("first-last/c", "first");
		template.put("first-last/a", "second");
		template.put("first-last/b", "third");
		long second = template.getEntry("first-last/a").createRevision();
		TxnResult result = template.txn()
			.then(TxnOp.getFirstCreated("first-last/"), TxnOp.getLastCreated("first-last/", second),
					TxnOp.getLastCreated("first-last/", second + 100), TxnOp.getLastCreated("first-last/", 1))
			.commit();
		assertThat(result.kvs(0)).extracting(KeyValue::key).containsExactly("first-last/c");
		assertThat(result.kvs(1)).extracting(KeyValue::key).containsExactly("first-last/a");
		assertThat(result.kvs(2)).extracting(KeyValue::key).containsExactly("first-last/b");
		assertThat(result.kvs(3)).isEmpty();
		assertThat(template.txn().then(TxnOp.getFirstCreated("first-last/none/")).commit().kvs(0)).isEmpty();
	}

	@Test
	void withConsistencyShouldReadTheSameData() {
		template.put("consistency/key", "v");
		EtcdOperations serializable = template.withConsistency(ReadConsistency.SERIALIZABLE);
		assertThat(serializable.get("consistency/key")).isEqualTo("v");
		assertThat(serializable.getPrefix("consistency/")).hasSize(1);
		assertThat(serializable.withConsistency(ReadConsistency.LINEARIZABLE).get("consistency/key")).isEqualTo("v");
	}

	@Test
	void namespacesShouldIsolateTemplates() {
		EtcdTemplate blue = new EtcdTemplate(transport, new EtcdValueConverter(), Namespace.of("/blue/"),
				ReadConsistency.LINEARIZABLE);
		EtcdTemplate green = new EtcdTemplate(transport, new EtcdValueConverter(), Namespace.of("/green/"),
				ReadConsistency.LINEARIZABLE);
		blue.put("shared", "blue");
		green.put("shared", "green");
		assertThat(blue.get("shared")).isEqualTo("blue");
		assertThat(green.get("shared")).isEqualTo("green");
		assertThat(blue.getPrefix("sh")).extracting(KeyValue::key).containsExactly("shared");
		assertThat(template.get("/blue/shared")).isEqualTo("blue");
		assertThat(blue.putIfAbsent("shared", "again")).isFalse();
		assertThat(green.deletePrefix("s")).isEqualTo(1);
		assertThat(blue.get("shared")).isEqualTo("blue");
		assertThat(green.get("shared")).isNull();
		TxnResult result = blue.txn()
			.when(Compare.value("shared").isEqualTo("blue"))
			.then(TxnOp.getPrefix("sh"))
			.commit();
		assertThat(result.kvs(0)).extracting(KeyValue::key).containsExactly("shared");
	}

	@Test
	void valueOverTheRequestLimitShouldFailClearlyAndWriteNothing() {
		byte[] big = new byte[1600 * 1024];
		assertThatExceptionOfType(EtcdRequestTooLargeException.class).isThrownBy(() -> template.put("big/key", big))
			.withMessageContaining("big/key")
			.withMessageContaining("request is too large")
			.withMessageContaining(etcd.endpoint());
		assertThat(template.getEntry("big/key")).isNull();
		assertThatExceptionOfType(EtcdRequestTooLargeException.class)
			.isThrownBy(() -> template.putIfAbsent("big/key", big));
		assertThat(template.getEntry("big/key")).isNull();
	}

	record Order(String id, int quantity, List<String> items, Map<String, Boolean> flags) {
	}

}
