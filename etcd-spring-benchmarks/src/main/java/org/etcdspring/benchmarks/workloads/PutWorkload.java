package org.etcdspring.benchmarks.workloads;

import java.util.List;

import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.clients.Clients;
import org.etcdspring.benchmarks.clients.KvClient;

/**
 * Puts: each caller overwrites a key of its own with a 64-byte value.
 *
 * @author etcd-spring
 */
public final class PutWorkload extends CallerWorkload {

	private static final byte[] VALUE = Values.of(42);

	private final Clients clients;

	public PutWorkload(Clients clients, int callers) {
		super(callers);
		this.clients = clients;
	}

	@Override
	public String id() {
		return "put";
	}

	@Override
	public String title() {
		return "put, " + Names.callers(callers());
	}

	@Override
	public List<Client> clients() {
		return List.of(Client.values());
	}

	@Override
	Operation operation(Client client) {
		KvClient kv = this.clients.kv(client);
		String[] keys = Names.perCaller("bench/put/", callers());
		return (caller) -> kv.put(keys[caller], VALUE);
	}

}
