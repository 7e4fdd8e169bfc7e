package org.etcdspring.benchmarks.workloads;

import java.util.List;

import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.clients.Clients;
import org.etcdspring.benchmarks.clients.KvClient;

/**
 * Compare-and-swap transactions that succeed: each caller owns a key and a counter, and
 * swaps the key from the counter's value to the next one.
 *
 * @author etcd-spring
 */
public final class CompareAndSwapWorkload extends CallerWorkload {

	private final Clients clients;

	public CompareAndSwapWorkload(Clients clients, int callers) {
		super(callers);
		this.clients = clients;
	}

	@Override
	public String id() {
		return "cas";
	}

	@Override
	public String title() {
		return "compare-and-swap, " + Names.callers(callers());
	}

	@Override
	public List<Client> clients() {
		return List.of(Client.values());
	}

	@Override
	Operation operation(Client client) {
		KvClient kv = this.clients.kv(client);
		String[] keys = Names.perCaller("bench/cas/" + client.label() + "/", callers());
		// Each caller touches its own slot only; rounds are ordered by the harness's
		// joins.
		long[] counters = new long[callers()];
		for (String key : keys) {
			kv.put(key, Values.of(0));
		}
		return (caller) -> {
			long current = counters[caller];
			if (!kv.compareAndSwap(keys[caller], Values.of(current), Values.of(current + 1))) {
				byte[] actual = kv.get(keys[caller], false);
				counters[caller] = (actual != null) ? Values.parse(actual) : 0;
				throw new IllegalStateException("Compare-and-swap of " + keys[caller] + " from " + current + " failed");
			}
			counters[caller] = current + 1;
		};
	}

}
