package org.etcdspring.benchmarks.workloads;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.clients.Clients;
import org.etcdspring.core.Compare;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.TxnOp;

/**
 * Transfers between 10 accounts, each moving 1 from one random account to another: with
 * {@code etcd.stm(...)}, or with a hand-written compare-and-swap loop (read both
 * accounts, then a transaction guarded on their mod revisions, again until it holds).
 * Both read two keys and commit once per attempt; callers contend for the accounts.
 *
 * @author etcd-spring
 */
public final class TransferWorkload extends CallerWorkload {

	private static final int ACCOUNTS = 10;

	private static final int MAX_ATTEMPTS = 1000;

	private final Clients clients;

	private final boolean stm;

	private final String[] accounts;

	public TransferWorkload(Clients clients, int callers, boolean stm) {
		super(callers);
		this.clients = clients;
		this.stm = stm;
		this.accounts = Names.perCaller("bench/transfer/" + (stm ? "stm" : "cas") + "/" + callers + "/", ACCOUNTS);
	}

	@Override
	public String id() {
		return this.stm ? "stm-transfer" : "cas-transfer";
	}

	@Override
	public String title() {
		return (this.stm ? "STM transfer" : "CAS-loop transfer") + ", " + Names.callers(callers());
	}

	@Override
	public List<Client> clients() {
		return List.of(Client.ETCD_SPRING);
	}

	@Override
	public void prepare() {
		EtcdTemplate etcd = this.clients.template();
		for (String account : this.accounts) {
			etcd.put(account, 1_000_000L);
		}
		super.prepare();
	}

	@Override
	Operation operation(Client client) {
		EtcdTemplate etcd = this.clients.template();
		return (caller) -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			int from = random.nextInt(ACCOUNTS);
			String source = this.accounts[from];
			String target = this.accounts[(from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS];
			if (this.stm) {
				etcd.stm((tx) -> {
					tx.put(source, tx.get(source, Long.class) - 1);
					tx.put(target, tx.get(target, Long.class) + 1);
					return null;
				});
			}
			else {
				compareAndSwapLoop(etcd, source, target);
			}
		};
	}

	private static void compareAndSwapLoop(EtcdTemplate etcd, String source, String target) {
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			KeyValue a = etcd.getEntry(source);
			KeyValue b = etcd.getEntry(target);
			long balanceA = Long.parseLong(a.valueAsString());
			long balanceB = Long.parseLong(b.valueAsString());
			boolean moved = etcd.txn()
				.when(Compare.modRevision(source).isEqualTo(a.modRevision()),
						Compare.modRevision(target).isEqualTo(b.modRevision()))
				.then(TxnOp.put(source, balanceA - 1), TxnOp.put(target, balanceB + 1))
				.commit()
				.succeeded();
			if (moved) {
				return;
			}
		}
		throw new IllegalStateException("Transfer from " + source + " to " + target + " kept conflicting");
	}

}
