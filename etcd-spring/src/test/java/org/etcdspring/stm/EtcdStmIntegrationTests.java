package org.etcdspring.stm;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.support.Etcdctl;
import org.etcdspring.test.EtcdLocalCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link EtcdStm} against real etcd: concurrent transfers between accounts keep the total
 * and never overdraw, while another client (etcdctl) moves money too.
 */
class EtcdStmIntegrationTests {

	private static final Log logger = LogFactory.getLog(EtcdStmIntegrationTests.class);

	private static final int ACCOUNTS = 10;

	private static final long INITIAL = 1000;

	@Test
	@Timeout(120)
	void transfersShouldKeepTheTotalAndNeverOverdrawUnderContention() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(cluster.endpoint()))).build();
				EtcdTemplate etcd = new EtcdTemplate(transport)) {
			for (int i = 0; i < ACCOUNTS; i++) {
				etcd.put(account(i), INITIAL);
			}
			AtomicLong runs = new AtomicLong();
			AtomicLong committed = new AtomicLong();
			AtomicLong refused = new AtomicLong();
			AtomicLong overdrawn = new AtomicLong();
			AtomicReference<Throwable> failure = new AtomicReference<>();
			// Every other etcdctl transfer starts while no new STM transaction does:
			// under
			// full contention its read and its guarded write, two etcdctl processes about
			// 100 ms apart, almost never get through. The STM transactions in flight
			// still
			// meet its write.
			AtomicBoolean etcdctlTurn = new AtomicBoolean();
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			List<Thread> threads = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				Thread thread = new Thread(() -> {
					try {
						ThreadLocalRandom random = ThreadLocalRandom.current();
						while (System.nanoTime() < end) {
							while (etcdctlTurn.get()) {
								Thread.sleep(1);
							}
							int from = random.nextInt(ACCOUNTS);
							int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
							long amount = 1 + random.nextInt(400);
							Boolean moved = etcd.stm((tx) -> {
								runs.incrementAndGet();
								long a = tx.get(account(from), Long.class);
								long b = tx.get(account(to), Long.class);
								if (a < 0 || b < 0) {
									overdrawn.incrementAndGet();
								}
								if (a < amount) {
									return false;
								}
								tx.put(account(from), a - amount);
								tx.put(account(to), b + amount);
								return true;
							});
							(Boolean.TRUE.equals(moved) ? committed : refused).incrementAndGet();
						}
					}
					catch (Throwable ex) {
						failure.compareAndSet(null, ex);
					}
				}, "stm-" + t);
				thread.start();
				threads.add(thread);
			}
			int etcdctlTransfers = 0;
			int etcdctlAttempts = 0;
			while (System.nanoTime() < end) {
				etcdctlAttempts++;
				etcdctlTurn.set(etcdctlAttempts % 2 == 0);
				try {
					if (etcdctlTransfer(cluster.endpoint())) {
						etcdctlTransfers++;
					}
				}
				finally {
					etcdctlTurn.set(false);
				}
			}
			for (Thread thread : threads) {
				thread.join(TimeUnit.SECONDS.toMillis(60));
				assertThat(thread.isAlive()).isFalse();
			}
			assertThat(failure.get()).isNull();
			long total = 0;
			for (int i = 0; i < ACCOUNTS; i++) {
				long balance = etcd.get(account(i), Long.class);
				assertThat(balance).as(account(i)).isNotNegative();
				total += balance;
			}
			long conflicts = runs.get() - committed.get() - refused.get();
			logger.info("STM: " + committed.get() + " transfers committed, " + refused.get()
					+ " refused (insufficient funds), " + conflicts + " conflicts retried in " + runs.get()
					+ " runs; etcdctl: " + etcdctlTransfers + " of " + etcdctlAttempts + " transfers committed");
			assertThat(total).isEqualTo(ACCOUNTS * INITIAL);
			assertThat(overdrawn).hasValue(0);
			assertThat(committed.get()).isPositive();
			assertThat(conflicts).isPositive();
			assertThat(etcdctlTransfers).isPositive();
		}
	}

	@Test
	@Timeout(60)
	void isolationLevelsShouldCheckWhatTheySay() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
				EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(cluster.endpoint()))).build();
				EtcdTemplate etcd = new EtcdTemplate(transport)) {
			etcd.put("iso/a", 1L);
			etcd.put("iso/b", 1L);
			// A concurrent writer changes a key the function read, during its first run
			// only.
			for (StmIsolation isolation : List.of(StmIsolation.SERIALIZABLE_SNAPSHOT, StmIsolation.SERIALIZABLE,
					StmIsolation.REPEATABLE_READS)) {
				AtomicLong runs = new AtomicLong();
				etcd.stm(isolation, 5, (tx) -> {
					long a = tx.get("iso/a", Long.class);
					if (runs.incrementAndGet() == 1) {
						etcd.put("iso/a", a + 100);
					}
					tx.put("iso/b", a);
					return null;
				});
				assertThat(runs).as(isolation.name()).hasValue(2);
				assertThat(etcd.get("iso/b", Long.class)).isEqualTo(etcd.get("iso/a", Long.class));
			}
			// Read committed checks nothing: the concurrent write is overwritten.
			AtomicLong runs = new AtomicLong();
			etcd.stm(StmIsolation.READ_COMMITTED, 5, (tx) -> {
				long a = tx.get("iso/a", Long.class);
				if (runs.incrementAndGet() == 1) {
					etcd.put("iso/a", a + 100);
				}
				tx.put("iso/a", a + 1);
				return null;
			});
			assertThat(runs).hasValue(1);
			// Serializable snapshot also guards keys only written: a blind write of
			// another writer conflicts.
			AtomicLong snapshotRuns = new AtomicLong();
			etcd.stm((tx) -> {
				tx.get("iso/a", Long.class);
				if (snapshotRuns.incrementAndGet() == 1) {
					etcd.put("iso/b", 7L);
				}
				tx.put("iso/b", 8L);
				return null;
			});
			assertThat(snapshotRuns).hasValue(2);
			// Serializable checks only the keys read: another writer's blind write to a
			// key the function only writes passes, and the later writer wins.
			AtomicLong serializableRuns = new AtomicLong();
			etcd.stm(StmIsolation.SERIALIZABLE, 5, (tx) -> {
				tx.get("iso/a", Long.class);
				if (serializableRuns.incrementAndGet() == 1) {
					etcd.put("iso/b", 17L);
				}
				tx.put("iso/b", 18L);
				return null;
			});
			assertThat(serializableRuns).hasValue(1);
			assertThat(etcd.get("iso/b", Long.class)).isEqualTo(18L);
			// Repeatable reads reads each key at the current revision when first read:
			// another writer's transaction between two reads is seen by half (the old a,
			// the new b); the commit finds a changed and the function runs again.
			List<long[]> views = new ArrayList<>();
			etcd.stm(StmIsolation.REPEATABLE_READS, 5, (tx) -> {
				long a = tx.get("iso/a", Long.class);
				if (views.isEmpty()) {
					etcd.txn().then(TxnOp.put("iso/a", a + 1), TxnOp.put("iso/b", a + 1)).commit();
				}
				long b = tx.get("iso/b", Long.class);
				views.add(new long[] { a, b });
				tx.put("iso/c", a + b);
				return null;
			});
			assertThat(views).hasSize(2);
			assertThat(views.get(0)[1]).as("b seen with the old a").isEqualTo(views.get(0)[0] + 1);
			assertThat(views.get(1)[1]).as("a and b of one revision").isEqualTo(views.get(1)[0]);
			assertThat(etcd.get("iso/c", Long.class)).isEqualTo(2 * views.get(1)[0]);
			etcd.delete("iso/c");
			// Reads see one revision: a key changed after the first read is read as it
			// was.
			KeyValue before = etcd.getEntry("iso/b");
			String seen = etcd.stm((tx) -> {
				tx.get("iso/a");
				etcd.put("iso/b", "changed meanwhile");
				return tx.get("iso/b");
			});
			assertThat(seen).isEqualTo(before.valueAsString()).isNotEqualTo(etcd.get("iso/b"));
			// The snapshot revision compacted between two reads: the attempt runs again
			// on a fresh snapshot.
			AtomicLong compactedRuns = new AtomicLong();
			etcd.stm((tx) -> {
				tx.get("iso/a");
				if (compactedRuns.incrementAndGet() == 1) {
					etcd.put("iso/other", "moves the revision on");
					EtcdAdmin.compact(cluster.endpoint(), etcd.txn().commit().revision());
				}
				try {
					tx.put("iso/d", tx.get("iso/b"));
				}
				catch (RuntimeException ex) {
					// A function that swallows the failure must not commit on incomplete
					// reads.
				}
				return null;
			});
			assertThat(compactedRuns).hasValue(2);
			assertThat(etcd.get("iso/d")).isEqualTo(etcd.get("iso/b"));
			// Every attempt in conflict: the exception names the key.
			assertThatExceptionOfType(EtcdStmConflictException.class)
				.isThrownBy(() -> etcd.stm(StmIsolation.SERIALIZABLE_SNAPSHOT, 3, (tx) -> {
					long a = tx.get("iso/a", Long.class);
					etcd.put("iso/a", a + 1);
					tx.put("iso/c", a);
					return null;
				}))
				.withMessageContaining("iso/a")
				.satisfies((ex) -> assertThat(ex.getAttempts()).isEqualTo(3));
			assertThat(etcd.get("iso/c")).isNull();
			assertThatIllegalArgumentException().isThrownBy(() -> etcd.stm(StmIsolation.SERIALIZABLE, 0, (tx) -> null))
				.withMessageContaining("maxAttempts");
			assertThatIllegalArgumentException().isThrownBy(() -> etcd.stm((tx) -> {
				tx.put("", 1);
				return null;
			}));
		}
	}

	private static String account(int i) {
		return "acct/" + i;
	}

	private static final Pattern KV = Pattern.compile("\"mod_revision\":(\\d+).*?\"value\":\"([^\"]*)\"");

	/**
	 * Move money with etcdctl: read two accounts, then a transaction guarded on their mod
	 * revisions, as any other etcd client would.
	 */
	private static boolean etcdctlTransfer(String endpoint) throws IOException, InterruptedException {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int from = random.nextInt(ACCOUNTS);
		int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
		long[] fromKv = etcdctlGet(endpoint, account(from));
		long[] toKv = etcdctlGet(endpoint, account(to));
		long amount = Math.min(fromKv[1], 1 + random.nextInt(400));
		String txn = "mod(\"" + account(from) + "\") = \"" + fromKv[0] + "\"\n" + "mod(\"" + account(to) + "\") = \""
				+ toKv[0] + "\"\n\n" + "put " + account(from) + " " + (fromKv[1] - amount) + "\n" + "put " + account(to)
				+ " " + (toKv[1] + amount) + "\n\n\n";
		String output = etcdctl(endpoint, txn, "txn");
		return output.startsWith("SUCCESS");
	}

	private static long[] etcdctlGet(String endpoint, String key) throws IOException, InterruptedException {
		String output = etcdctl(endpoint, null, "get", key, "-w", "json");
		Matcher matcher = KV.matcher(output);
		assertThat(matcher.find()).as(output).isTrue();
		String value = new String(Base64.getDecoder().decode(matcher.group(2)), StandardCharsets.UTF_8);
		return new long[] { Long.parseLong(matcher.group(1)), Long.parseLong(value) };
	}

	private static String etcdctl(String endpoint, String input, String... args)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Etcdctl.binary().toString());
		command.add("--endpoints=" + endpoint);
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("ETCDCTL_API", "3");
		Process process = builder.start();
		try (OutputStream stdin = process.getOutputStream()) {
			if (input != null) {
				stdin.write(input.getBytes(StandardCharsets.UTF_8));
			}
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(20, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("etcdctl " + String.join(" ", args) + " did not end");
		}
		assertThat(process.exitValue()).as(output).isZero();
		return output.trim();
	}

}
