package org.etcdspring.benchmarks.clients;

import org.etcdspring.EtcdOperations;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.ReadConsistency;

/**
 * {@link KvClient} on {@link EtcdTemplate}, as an application calls it.
 *
 * @author etcd-spring
 */
final class TemplateKvClient implements KvClient {

	private final EtcdOperations linearizable;

	private final EtcdOperations serializable;

	TemplateKvClient(EtcdTemplate template) {
		this.linearizable = template.withConsistency(ReadConsistency.LINEARIZABLE);
		this.serializable = template.withConsistency(ReadConsistency.SERIALIZABLE);
	}

	@Override
	public void put(String key, byte[] value) {
		this.linearizable.put(key, value);
	}

	@Override
	public byte[] get(String key, boolean serializable) {
		return (serializable ? this.serializable : this.linearizable).get(key, byte[].class);
	}

	@Override
	public boolean compareAndSwap(String key, byte[] expected, byte[] value) {
		return this.linearizable.compareAndSet(key, expected, value);
	}

}
