package org.etcdspring.benchmarks.clients;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;

/**
 * {@link KvClient} on jetcd's {@link KV} client, waiting for each future as a blocking
 * caller does.
 *
 * @author etcd-spring
 */
final class JetcdKvClient implements KvClient {

	private static final GetOption SERIALIZABLE = GetOption.builder().withSerializable(true).build();

	private final KV kv;

	JetcdKvClient(KV kv) {
		this.kv = kv;
	}

	@Override
	public void put(String key, byte[] value) {
		Futures.join(this.kv.put(bytes(key), ByteSequence.from(value)));
	}

	@Override
	public byte[] get(String key, boolean serializable) {
		List<KeyValue> kvs = Futures.join(this.kv.get(bytes(key), serializable ? SERIALIZABLE : GetOption.DEFAULT))
			.getKvs();
		return kvs.isEmpty() ? null : kvs.get(0).getValue().getBytes();
	}

	@Override
	public boolean compareAndSwap(String key, byte[] expected, byte[] value) {
		ByteSequence name = bytes(key);
		return Futures
			.join(this.kv.txn()
				.If(new Cmp(name, Cmp.Op.EQUAL, CmpTarget.value(ByteSequence.from(expected))))
				.Then(Op.put(name, ByteSequence.from(value), PutOption.DEFAULT))
				.commit())
			.isSucceeded();
	}

	static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

}
