package org.etcdspring.benchmarks.workloads;

import java.util.List;

import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.clients.Clients;
import org.etcdspring.benchmarks.clients.KvClient;

/**
 * Gets: each caller reads a key of its own that holds a 64-byte value, linearizable (the
 * member confirms through Raft that it is up to date) or serializable (the member answers
 * from its own store).
 *
 * @author etcd-spring
 */
public final class GetWorkload extends CallerWorkload {

	private static final byte[] VALUE = Values.of(42);

	private final Clients clients;

	private final boolean serializable;

	private final String[] keys;

	public GetWorkload(Clients clients, int callers, boolean serializable) {
		super(callers);
		this.clients = clients;
		this.serializable = serializable;
		this.keys = Names.perCaller("bench/get/", callers);
	}

	@Override
	public String id() {
		return this.serializable ? "get-serializable" : "get-linearizable";
	}

	@Override
	public String title() {
		return "get " + (this.serializable ? "serializable" : "linearizable") + ", " + Names.callers(callers());
	}

	@Override
	public List<Client> clients() {
		return List.of(Client.values());
	}

	@Override
	public void prepare() {
		KvClient writer = this.clients.kv(Client.HTTP_CLIENT);
		for (String key : this.keys) {
			writer.put(key, VALUE);
		}
		super.prepare();
	}

	@Override
	Operation operation(Client client) {
		KvClient kv = this.clients.kv(client);
		return (caller) -> {
			if (kv.get(this.keys[caller], this.serializable) == null) {
				throw new IllegalStateException("Key " + this.keys[caller] + " is missing");
			}
		};
	}

}
