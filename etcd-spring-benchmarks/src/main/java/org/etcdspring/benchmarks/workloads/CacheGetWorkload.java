package org.etcdspring.benchmarks.workloads;

import java.util.List;

import org.etcdspring.benchmarks.clients.Client;
import org.etcdspring.benchmarks.clients.Clients;
import org.etcdspring.benchmarks.clients.KvClient;
import org.etcdspring.cache.EtcdCache;

/**
 * Reads from an {@link EtcdCache}: each caller reads a key of its own, a 64-byte value,
 * from the local copy of the prefix (no I/O), beside the get workloads that ask etcd.
 *
 * @author etcd-spring
 */
public final class CacheGetWorkload extends CallerWorkload {

	private static final String PREFIX = "bench/cache/";

	private final Clients clients;

	private final String[] keys;

	private EtcdCache cache;

	public CacheGetWorkload(Clients clients, int callers) {
		super(callers);
		this.clients = clients;
		this.keys = Names.perCaller(PREFIX, callers);
	}

	@Override
	public String id() {
		return "cache-get";
	}

	@Override
	public String title() {
		return "EtcdCache.get, " + Names.callers(callers());
	}

	@Override
	public List<Client> clients() {
		return List.of(Client.ETCD_SPRING);
	}

	@Override
	public void prepare() {
		KvClient writer = this.clients.kv(Client.HTTP_CLIENT);
		for (String key : this.keys) {
			writer.put(key, Values.of(42));
		}
		this.cache = this.clients.template().cache(PREFIX);
		super.prepare();
	}

	@Override
	Operation operation(Client client) {
		EtcdCache cache = this.cache;
		return (caller) -> {
			if (cache.get(this.keys[caller]) == null) {
				throw new IllegalStateException("Key " + this.keys[caller] + " is missing from the cache");
			}
		};
	}

	@Override
	public void close() {
		super.close();
		if (this.cache != null) {
			this.cache.close();
		}
	}

}
