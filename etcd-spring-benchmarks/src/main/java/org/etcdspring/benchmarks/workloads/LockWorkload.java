package org.etcdspring.benchmarks.workloads;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.clients.Clients;
import org.etcdspring.benchmarks.clients.LockClient;

/**
 * Uncontended lock and unlock: each caller takes and releases a lock of its own, on its
 * client's kept-alive lease.
 *
 * @author etcd-spring
 */
public final class LockWorkload extends CallerWorkload {

	private final Clients clients;

	private final Map<Client, LockClient> locks = new EnumMap<>(Client.class);

	public LockWorkload(Clients clients, int callers) {
		super(callers);
		this.clients = clients;
	}

	@Override
	public String id() {
		return "lock";
	}

	@Override
	public String title() {
		return "lock + unlock, " + Names.callers(callers());
	}

	@Override
	public List<Client> clients() {
		return List.of(Client.ETCD_SPRING, Client.JETCD);
	}

	@Override
	Operation operation(Client client) {
		LockClient lockClient = this.clients.locks(client);
		this.locks.put(client, lockClient);
		String[] names = Names.perCaller("bench/lock/" + client.label() + "/", callers());
		return (caller) -> lockClient.lock(names[caller]).unlock();
	}

	@Override
	public void close() {
		super.close();
		this.locks.values().forEach(LockClient::close);
	}

}
