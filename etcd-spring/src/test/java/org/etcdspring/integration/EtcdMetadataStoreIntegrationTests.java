package org.etcdspring.integration;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.integration.metadata.MetadataStoreListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EtcdMetadataStore} against a real etcd process.
 */
class EtcdMetadataStoreIntegrationTests extends SharedEtcdTemplate {

	@Test
	void putGetRemoveShouldWorkUnderThePrefix() {
		EtcdMetadataStore store = new EtcdMetadataStore(template, "/meta/basic/");
		assertThat(store.get("k")).isNull();
		store.put("k", "v1");
		assertThat(store.get("k")).isEqualTo("v1");
		assertThat(template.get("/meta/basic/k")).isEqualTo("v1");
		assertThat(store.remove("k")).isEqualTo("v1");
		assertThat(store.remove("k")).isNull();
		assertThat(store.get("k")).isNull();
	}

	@Test
	void putIfAbsentAndReplaceShouldBeAtomic() {
		EtcdMetadataStore store = new EtcdMetadataStore(template, "/meta/cas/");
		assertThat(store.putIfAbsent("k", "first")).isNull();
		assertThat(store.putIfAbsent("k", "second")).isEqualTo("first");
		assertThat(store.replace("k", "wrong", "x")).isFalse();
		assertThat(store.replace("k", "first", "third")).isTrue();
		assertThat(store.get("k")).isEqualTo("third");
		assertThat(store.replace("missing", "a", "b")).isFalse();
	}

	@Test
	void racingPutIfAbsentShouldHaveExactlyOneWinner() throws Exception {
		EtcdMetadataStore store = new EtcdMetadataStore(template, "/meta/race/");
		for (int round = 0; round < 10; round++) {
			String key = "key-" + round;
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService threads = Executors.newFixedThreadPool(4);
			try {
				List<Future<String>> results = new ArrayList<>();
				for (int thread = 0; thread < 4; thread++) {
					String value = "thread-" + thread;
					results.add(threads.submit(() -> {
						start.await();
						return store.putIfAbsent(key, value);
					}));
				}
				start.countDown();
				List<String> answers = new ArrayList<>();
				for (Future<String> result : results) {
					answers.add(result.get(30, TimeUnit.SECONDS));
				}
				assertThat(answers).filteredOn((answer) -> answer == null).hasSize(1);
				String winner = store.get(key);
				assertThat(answers).filteredOn((answer) -> answer != null).containsOnly(winner);
			}
			finally {
				threads.shutdownNow();
			}
		}
	}

	@Test
	void listenersShouldHearAddsUpdatesAndRemovesFromAnyInstance() throws Exception {
		EtcdMetadataStore listening = new EtcdMetadataStore(template, "/meta/listen/");
		EtcdMetadataStore other = new EtcdMetadataStore(template, "/meta/listen/");
		BlockingQueue<String> heard = new LinkedBlockingQueue<>();
		MetadataStoreListener listener = new MetadataStoreListener() {

			@Override
			public void onAdd(String key, String value) {
				heard.add("add " + key + "=" + value);
			}

			@Override
			public void onRemove(String key, String oldValue) {
				heard.add("remove " + key + "=" + oldValue);
			}

			@Override
			public void onUpdate(String key, String newValue) {
				heard.add("update " + key + "=" + newValue);
			}

		};
		listening.addListener(listener);
		try {
			Thread.sleep(300);
			other.put("k", "1");
			other.replace("k", "1", "2");
			other.remove("k");
			assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo("add k=1");
			assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo("update k=2");
			assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo("remove k=2");
		}
		finally {
			listening.removeListener(listener);
			listening.destroy();
		}
		assertThat(template.getWatches().activeCount()).isZero();
	}

}
