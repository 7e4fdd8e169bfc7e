package org.etcdspring.core.transport;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdResponseTooLargeException;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A call with a limit on its answer ({@link EtcdTransport#callWithResponseLimit}) against
 * a real etcd process: an answer past the limit fails the call with
 * {@link EtcdResponseTooLargeException}, once, without moving calls to another endpoint.
 */
class ResponseLimitIntegrationTests {

	private static final String PREFIX = "limit/";

	private static final int VALUES = 4;

	private static final int VALUE_SIZE = 1024 * 1024;

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private static EtcdTransport transport;

	private static EtcdTemplate template;

	private static URI idle;

	@BeforeAll
	static void writeFourMegabytes() throws Exception {
		// A second endpoint where nothing listens: were the first marked failed, calls
		// would move there.
		try (ServerSocket socket = new ServerSocket(0)) {
			idle = URI.create("http://127.0.0.1:" + socket.getLocalPort());
		}
		transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()), idle)).batching(true).build();
		template = new EtcdTemplate(transport);
		for (int i = 0; i < VALUES; i++) {
			template.put(PREFIX + i, new byte[VALUE_SIZE]);
		}
	}

	@AfterAll
	static void close() {
		template.deletePrefix(PREFIX);
		template.close();
		transport.close();
	}

	@Test
	void anAnswerPastTheLimitShouldFailTheCallOnceAndLeaveTheEndpointInUse() {
		URI endpoint = transport.currentEndpoint();
		long callsBefore = EtcdAdmin.kvCalls(etcd.endpoint());
		assertThatExceptionOfType(EtcdResponseTooLargeException.class)
			.isThrownBy(() -> transport.callWithResponseLimit(EtcdRpc.RANGE, prefixRange(), PREFIX, 64 * 1024))
			.withMessageContaining("etcd range of key '" + PREFIX + "' failed on " + etcd.endpoint())
			.withMessageContaining("the answer is larger than 65536 bytes, the most this call may read")
			.satisfies((ex) -> assertThat(ex.getMaxBytes()).isEqualTo(64 * 1024));
		// One request, not retried on the other endpoint nor again on this one.
		assertThat(EtcdAdmin.kvCalls(etcd.endpoint()) - callsBefore).isEqualTo(1);
		assertThat(transport.currentEndpoint()).isEqualTo(endpoint);
		assertThat(template.get(PREFIX + "0")).isNotNull();
		assertThat(transport.currentEndpoint()).isEqualTo(endpoint);
	}

	@Test
	void aCappedCallThatOverflowsShouldNeverShareABatchWithOtherCallers() throws Exception {
		long batchesBefore = transport.batchCount();
		ExecutorService writers = Executors.newFixedThreadPool(16);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int thread = 0; thread < 16; thread++) {
				int id = thread;
				done.add(writers.submit(() -> {
					for (int i = 0; i < 40; i++) {
						String key = "batched/" + id + "/" + i;
						template.put(key, i);
						assertThat(template.get(key, Integer.class)).isEqualTo(i);
					}
					return null;
				}));
			}
			int capped = 0;
			while (capped < 5 || !done.stream().allMatch(Future::isDone)) {
				// A capped read that shared a batch would fail its neighbours, or
				// succeed on their answers.
				assertThatExceptionOfType(EtcdResponseTooLargeException.class)
					.isThrownBy(() -> transport.callWithResponseLimit(EtcdRpc.RANGE, prefixRange(), PREFIX, 64 * 1024));
				capped++;
			}
			for (Future<?> writer : done) {
				writer.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			writers.shutdownNow();
		}
		// The writers were batched: the capped reads had batches to join.
		assertThat(transport.batchCount()).isGreaterThan(batchesBefore);
		template.deletePrefix("batched/");
	}

	@Test
	void anAnswerWithinTheLimitShouldBeReadWhole() {
		Kv.RangeResponse response = transport.callWithResponseLimit(EtcdRpc.RANGE, prefixRange(), PREFIX,
				8L * 1024 * 1024);
		assertThat(response.kvs()).hasSize(VALUES).allSatisfy((kv) -> assertThat(kv.value()).hasSize(VALUE_SIZE));
	}

	@Test
	void aLimitOutOfRangeShouldBeRejectedBeforeAnyCall() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> transport.callWithResponseLimit(EtcdRpc.RANGE, prefixRange(), PREFIX, 0))
			.withMessage("'maxResponseBytes' must be between 1 and " + EtcdTransport.MAX_RESPONSE_LIMIT + ", was 0");
	}

	private static Kv.RangeRequest prefixRange() {
		byte[] key = PREFIX.getBytes(StandardCharsets.UTF_8);
		byte[] end = PREFIX.getBytes(StandardCharsets.UTF_8);
		end[end.length - 1]++;
		return Kv.RangeRequest.of(key, end, false);
	}

}
