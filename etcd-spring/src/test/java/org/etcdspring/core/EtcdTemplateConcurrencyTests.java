package org.etcdspring.core;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compare-and-swap under contention, against a real etcd process.
 */
class EtcdTemplateConcurrencyTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void concurrentRevisionCasIncrementsShouldNeverLoseAnUpdate() throws Exception {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build()) {
			EtcdTemplate template = new EtcdTemplate(transport);
			template.put("counter", 0);
			ExecutorService threads = Executors.newFixedThreadPool(8);
			try {
				List<Future<Integer>> retries = new ArrayList<>();
				for (int thread = 0; thread < 8; thread++) {
					retries.add(threads.submit(() -> incrementFiftyTimes(template)));
				}
				int totalRetries = 0;
				for (Future<Integer> future : retries) {
					totalRetries += future.get(120, TimeUnit.SECONDS);
				}
				assertThat(template.get("counter", Integer.class)).isEqualTo(400);
				assertThat(template.getEntry("counter").version()).isEqualTo(401);
				// Contention really happened, or the test proved nothing about the
				// compare.
				assertThat(totalRetries).isPositive();
			}
			finally {
				threads.shutdownNow();
			}
		}
	}

	private int incrementFiftyTimes(EtcdTemplate template) {
		int retries = 0;
		for (int i = 0; i < 50; i++) {
			while (true) {
				KeyValue current = template.getEntry("counter");
				int value = Integer.parseInt(current.valueAsString());
				if (template.compareAndSetRevision("counter", current.modRevision(), value + 1)) {
					break;
				}
				retries++;
			}
		}
		return retries;
	}

}
