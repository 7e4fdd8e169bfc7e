package org.etcdspring.core.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway JSON shapes of etcd 3.4, 3.5 and 3.6 read by one code path.
 */
class WireFormatTests {

	private final JsonMapper mapper = EtcdTransport.wireMapper();

	@Test
	void rangeResponseOf34ShouldReadInt64StringsAndBase64() {
		Kv.RangeResponse response = read(
				"""
						{"header":{"cluster_id":"324952591200643719","member_id":"3319814642761637952","revision":"2","raft_term":"2"},
						 "kvs":[{"key":"Zm9v","create_revision":"2","mod_revision":"2","version":"1","value":"YmFy"}],"count":"1"}
						""",
				Kv.RangeResponse.class);
		assertThat(response.header().revision()).isEqualTo(2);
		assertThat(response.header().clusterId()).isEqualTo(324952591200643719L);
		Kv.KeyValue kv = response.kvs().get(0);
		assertThat(new String(kv.key(), StandardCharsets.UTF_8)).isEqualTo("foo");
		assertThat(new String(kv.value(), StandardCharsets.UTF_8)).isEqualTo("bar");
		assertThat(kv.lease()).isZero();
		assertThat(response.count()).isEqualTo(1);
	}

	@Test
	void omittedZeroValuesShouldReadAsDefaults() {
		Kv.RangeResponse empty = read("{\"header\":{\"revision\":\"7\"}}", Kv.RangeResponse.class);
		assertThat(empty.kvs()).isEmpty();
		assertThat(empty.count()).isZero();
		Kv.RangeResponse noHeader = read("{}", Kv.RangeResponse.class);
		assertThat(noHeader.header().revision()).isZero();
		Kv.KeyValue emptyValue = read("{\"key\":\"Zm9v\",\"create_revision\":\"2\"}", Kv.KeyValue.class);
		assertThat(emptyValue.value()).isEmpty();
	}

	@Test
	void failedTxnOf36WithoutSucceededShouldReadAsFalse() {
		Kv.TxnResponse response = read("""
				{"header":{"revision":"4"},"responses":[{"response_range":{"header":{"revision":"4"}}},
				 {"response_delete_range":{"header":{"revision":"4"}}},{"response_put":{}}]}
				""", Kv.TxnResponse.class);
		assertThat(response.succeeded()).isFalse();
		assertThat(response.responses()).hasSize(3);
		assertThat(response.responses().get(0).responseRange().kvs()).isEmpty();
		assertThat(response.responses().get(1).responseDeleteRange().deleted()).isZero();
		assertThat(response.responses().get(2).responsePut().header().revision()).isZero();
	}

	@Test
	void numbersAsJsonNumbersShouldAlsoRead() {
		Kv.DeleteRangeResponse response = read("{\"deleted\":3,\"header\":{\"revision\":9}}",
				Kv.DeleteRangeResponse.class);
		assertThat(response.deleted()).isEqualTo(3);
		assertThat(response.header().revision()).isEqualTo(9);
	}

	@Test
	void unknownFieldsShouldBeIgnored() {
		Kv.PutResponse response = read("{\"header\":{\"revision\":\"5\",\"future\":1},\"novel\":[1,2]}",
				Kv.PutResponse.class);
		assertThat(response.header().revision()).isEqualTo(5);
	}

	@Test
	void requestsShouldBeWrittenWithSnakeCaseStringsAndNoZeroValues() {
		Kv.TxnRequest request = new Kv.TxnRequest(
				List.of(Kv.Compare.of(bytes("k"), null, Kv.CompareTarget.MOD, Kv.CompareResult.EQUAL, 12L)),
				List.of(Kv.RequestOp.put(Kv.PutRequest.of(bytes("k"), bytes("v"), 0))),
				List.of(Kv.RequestOp.range(Kv.RangeRequest.of(bytes("k"), null, true))));
		String json = this.mapper.writeValueAsString(request);
		assertThat(json).isEqualTo("{\"compare\":[{\"result\":\"EQUAL\",\"target\":\"MOD\",\"key\":\"aw==\","
				+ "\"mod_revision\":\"12\"}],\"success\":[{\"request_put\":{\"key\":\"aw==\",\"value\":\"dg==\"}}],"
				+ "\"failure\":[{\"request_range\":{\"key\":\"aw==\",\"serializable\":true}}]}");
	}

	@Test
	void errorOf34ShouldReadCodeAndMessage() {
		GatewayError error = parseError(400,
				"{\"error\":\"etcdserver: request is too large\",\"message\":\"etcdserver: request is too large\",\"code\":3}");
		assertThat(error.code()).isEqualTo(3);
		assertThat(error.message()).isEqualTo("etcdserver: request is too large");
	}

	@Test
	void errorOf36ShouldReadCodeMessageAndIgnoreDetails() {
		GatewayError error = parseError(503,
				"{\"code\":14,\"message\":\"etcdserver: no leader\",\"details\":[{\"@type\":\"x\"}]}");
		assertThat(error.code()).isEqualTo(14);
		assertThat(error.isUnavailable()).isTrue();
		assertThat(error.message()).isEqualTo("etcdserver: no leader");
	}

	@Test
	void errorThatIsNotJsonShouldKeepItsTextAndMapTheStatus() {
		GatewayError error = parseError(503, "<html>Service Unavailable</html>");
		assertThat(error.code()).isEqualTo(GatewayError.UNAVAILABLE);
		assertThat(error.message()).isEqualTo("<html>Service Unavailable</html>");
		assertThat(parseError(404, "").message()).isEqualTo("HTTP 404");
	}

	@Test
	void writeThatTimedOutOnTheServerMayHaveApplied() {
		assertThat(parseError(503, "{\"code\":14,\"message\":\"etcdserver: request timed out\"}").neverApplied())
			.isFalse();
		assertThat(parseError(503, "{\"code\":14,\"message\":\"etcdserver: no leader\"}").neverApplied()).isTrue();
	}

	private GatewayError parseError(int status, String body) {
		return GatewayError.parse(status, body.getBytes(StandardCharsets.UTF_8), this.mapper.reader());
	}

	private <T> T read(String json, Class<T> type) {
		return this.mapper.readValue(json, type);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
