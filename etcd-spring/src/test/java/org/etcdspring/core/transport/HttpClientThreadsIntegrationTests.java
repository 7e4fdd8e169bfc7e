package org.etcdspring.core.transport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.etcdspring.core.EtcdException;
import org.etcdspring.test.EtcdServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP client's work runs on the transport's threads even when every one of them is
 * busy: never on the JDK client's selector thread, where it would stall every connection.
 * Against a real etcd process, with stream observers that hold the transport's threads.
 */
@Tag("wire-format")
class HttpClientThreadsIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private static final int STREAMS = 12;

	private static final int WRITES = 10;

	@Test
	void streamMessagesShouldNeverBeHandledOnTheSelectorThread() throws Exception {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build()) {
			Set<String> threads = ConcurrentHashMap.newKeySet();
			AtomicInteger events = new AtomicInteger();
			AtomicInteger created = new AtomicInteger();
			List<EtcdStream> streams = new ArrayList<>();
			for (int i = 0; i < STREAMS; i++) {
				byte[] key = bytes("threads/" + i);
				streams.add(transport.openStream(Watch.WATCH,
						new Watch.Request(new Watch.CreateRequest(key, null, 0, false, List.of(), false, 1)),
						"threads/" + i, new StreamObserver<>() {

							@Override
							public void onNext(Watch.Response message, EtcdStream stream) {
								threads.add(Thread.currentThread().getName());
								if (message.created()) {
									created.incrementAndGet();
								}
								events.addAndGet(message.events().size());
								// Holds this thread: with a dozen streams, every thread
								// of the transport is busy.
								sleep(50);
								stream.request(1);
							}

							@Override
							public void onError(EtcdException error) {
							}

						}));
			}
			try {
				// Every watch exists before the writes: the events to count are all of
				// theirs.
				awaitCount(created, STREAMS);
				assertThat(created.get()).as("watches created").isEqualTo(STREAMS);
				for (int round = 0; round < WRITES; round++) {
					for (int i = 0; i < STREAMS; i++) {
						transport.call(EtcdRpc.PUT, Kv.PutRequest.of(bytes("threads/" + i), bytes("v" + round), 0),
								"threads/" + i);
					}
				}
				awaitCount(events, STREAMS * WRITES);
				assertThat(events.get()).isEqualTo(STREAMS * WRITES);
				assertThat(threads).isNotEmpty().allMatch((name) -> name.startsWith("etcd-http-"));
			}
			finally {
				streams.forEach(EtcdStream::cancel);
			}
		}
	}

	private static void awaitCount(AtomicInteger count, int expected) {
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (count.get() < expected && System.nanoTime() < deadline) {
			sleep(20);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
