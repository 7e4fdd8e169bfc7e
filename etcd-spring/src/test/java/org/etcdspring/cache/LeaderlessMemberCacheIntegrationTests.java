package org.etcdspring.cache;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.TxnResult;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.Eventually;
import org.etcdspring.test.EtcdMember;
import org.etcdspring.test.EtcdServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The watch of an {@link EtcdCache} on a member cut off from the majority (the two other
 * members of a three-member cluster stopped with SIGSTOP) requires a leader: the member
 * ends it with "no leader" instead of leaving the cache silently stale, and once the
 * others are back it resumes from the cache's revision, missing no event.
 */
class LeaderlessMemberCacheIntegrationTests {

	private static final Log logger = LogFactory.getLog(LeaderlessMemberCacheIntegrationTests.class);

	private static final String PREFIX = "leaderless-cache/";

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.cluster(3);

	@Test
	@Timeout(180)
	void cacheWatchShouldEndWithoutALeaderAndResumeWithoutLoss() throws Exception {
		EtcdMember inUse = EtcdAdmin.aFollower(etcd);
		List<EtcdMember> others = etcd.cluster().members().stream().filter((member) -> member != inUse).toList();
		try (EtcdTransport cacheTransport = EtcdTransport.builder(List.of(URI.create(inUse.clientEndpoint())))
			.requestTimeout(Duration.ofSeconds(2))
			.build();
				EtcdTemplate cacheTemplate = new EtcdTemplate(cacheTransport);
				EtcdTransport writerTransport = EtcdTransport
					.builder(others.stream().map((member) -> URI.create(member.clientEndpoint())).toList())
					.requestTimeout(Duration.ofSeconds(10))
					.build();
				EtcdTemplate writer = new EtcdTemplate(writerTransport)) {
			List<Long> written = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				written.add(write(writer, i));
			}
			EtcdCache cache = cacheTemplate.cache(PREFIX);
			List<EtcdCacheChange> changes = new CopyOnWriteArrayList<>();
			cache.addListener((change) -> {
				if (change.kind() != EtcdCacheChange.Kind.INITIAL) {
					changes.add(change);
				}
			});
			long beforeIsolation = write(writer, 10);
			assertThat(cache.awaitRevision(beforeIsolation, Duration.ofSeconds(10))).isTrue();
			long reconnects = cacheTemplate.getWatches().reconnectCount();
			others.forEach(EtcdMember::pause);
			Duration ended;
			try {
				// The cache's watch is the only one of its template: it ends, and keeps
				// ending while the member has no leader.
				ended = Eventually.within(Duration.ofSeconds(30),
						() -> cacheTemplate.getWatches().reconnectCount() >= reconnects + 2);
				assertThatExceptionOfType(EtcdException.class).as("a write through the isolated member")
					.isThrownBy(() -> cacheTemplate.put(PREFIX + "isolated", "never"));
			}
			finally {
				others.forEach(EtcdMember::resume);
			}
			logger.info("Without a leader the cache's watch ended twice within " + ended.toMillis() + " ms");
			// As soon as the others have a leader again, through them, while the cache's
			// watch may still be waiting.
			Eventually.within(Duration.ofSeconds(30), () -> hasLeader(writer));
			List<Long> afterIsolation = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				afterIsolation.add((i % 4 == 3) ? delete(writer, i) : write(writer, 11 + i));
			}
			long last = afterIsolation.get(afterIsolation.size() - 1);
			assertThat(cache.awaitRevision(last, Duration.ofSeconds(60))).isTrue();
			TxnResult fresh = writer.txn().then(TxnOp.getPrefix(PREFIX)).commit();
			Map<String, KeyValue> server = fresh.kvs(0)
				.stream()
				.collect(Collectors.toMap(KeyValue::key, (kv) -> kv, (a, b) -> a, TreeMap::new));
			assertThat(cache.asMap()).isEqualTo(server);
			// Every revision written after the listener was added came as an update of
			// its
			// own, in order: none missed, none repeated, and no resync was needed.
			List<Long> expected = new ArrayList<>();
			expected.add(beforeIsolation);
			expected.addAll(afterIsolation);
			Eventually.within(Duration.ofSeconds(10), () -> changes.size() >= expected.size());
			assertThat(changes).allMatch((change) -> change.kind() == EtcdCacheChange.Kind.UPDATE, "an update");
			assertThat(changes.stream().map(EtcdCacheChange::revision).toList()).isEqualTo(expected);
			assertThat(cacheTemplate.getCaches().resyncCount()).isZero();
			cache.close();
		}
	}

	private static boolean hasLeader(EtcdTemplate template) {
		try {
			template.cluster().leader();
			return true;
		}
		catch (EtcdException ex) {
			return false;
		}
	}

	private static long write(EtcdTemplate writer, int i) {
		return writer.txn().then(TxnOp.put(PREFIX + i, "value-" + i)).commit().revision();
	}

	private static long delete(EtcdTemplate writer, int i) {
		return writer.txn().then(TxnOp.delete(PREFIX + i)).commit().revision();
	}

}
