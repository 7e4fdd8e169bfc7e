package org.etcdspring.core;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.etcdspring.cluster.ClusterOperations;
import org.etcdspring.cluster.DefaultClusterOperations;
import org.etcdspring.core.transport.EtcdRpc;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.core.transport.Kv;

import org.springframework.util.Assert;

/**
 * The central class of etcd access: key/value operations, compare-and-swap and
 * transactions on an {@link EtcdTransport}, with values converted by an
 * {@link EtcdValueConverter} and keys placed in a {@link Namespace}.
 *
 * <p>
 * Thread-safe; create one per cluster and share it.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdTemplate implements EtcdOperations {

	private final EtcdTransport transport;

	private final EtcdValueConverter converter;

	private final Namespace namespace;

	private final ReadConsistency readConsistency;

	private final ClusterOperations cluster;

	/**
	 * A template with no namespace, linearizable reads and a default JSON mapping.
	 * @param transport the transport to the cluster
	 */
	public EtcdTemplate(EtcdTransport transport) {
		this(transport, new EtcdValueConverter(), Namespace.NONE, ReadConsistency.LINEARIZABLE);
	}

	/**
	 * A fully configured template.
	 * @param transport the transport to the cluster
	 * @param converter converts values to bytes and back
	 * @param namespace the prefix applied to every key
	 * @param readConsistency how reads are served unless a view says otherwise
	 */
	public EtcdTemplate(EtcdTransport transport, EtcdValueConverter converter, Namespace namespace,
			ReadConsistency readConsistency) {
		Assert.notNull(transport, "'transport' must not be null");
		Assert.notNull(converter, "'converter' must not be null");
		Assert.notNull(namespace, "'namespace' must not be null");
		Assert.notNull(readConsistency, "'readConsistency' must not be null");
		this.transport = transport;
		this.converter = converter;
		this.namespace = namespace;
		this.readConsistency = readConsistency;
		this.cluster = new DefaultClusterOperations(transport);
	}

	@Override
	public void put(String key, Object value) {
		Kv.PutRequest request = Kv.PutRequest.of(this.namespace.encode(key), this.converter.toBytes(value), 0);
		this.transport.call(EtcdRpc.PUT, request, this.namespace.describe(key));
	}

	@Override
	public @Nullable String get(String key) {
		return get(key, String.class);
	}

	@Override
	public <T> @Nullable T get(String key, Class<T> type) {
		Assert.notNull(type, "'type' must not be null");
		KeyValue entry = getEntry(key);
		return (entry != null) ? this.converter.fromBytes(entry.value(), type) : null;
	}

	@Override
	public @Nullable KeyValue getEntry(String key) {
		List<KeyValue> found = range(this.namespace.encode(key), null, key);
		return found.isEmpty() ? null : found.get(0);
	}

	@Override
	public List<KeyValue> getPrefix(String prefix) {
		Namespace.checkKey(prefix, "prefix");
		return range(this.namespace.encode(prefix), this.namespace.rangeEnd(prefix), prefix);
	}

	private List<KeyValue> range(byte[] key, byte @Nullable [] rangeEnd, String name) {
		Kv.RangeRequest request = Kv.RangeRequest.of(key, rangeEnd,
				this.readConsistency == ReadConsistency.SERIALIZABLE);
		return toKeyValues(this.transport.call(EtcdRpc.RANGE, request, this.namespace.describe(name)).kvs());
	}

	@Override
	public boolean delete(String key) {
		return deleteRange(this.namespace.encode(key), null, key) > 0;
	}

	@Override
	public long deletePrefix(String prefix) {
		Namespace.checkKey(prefix, "prefix");
		return deleteRange(this.namespace.encode(prefix), this.namespace.rangeEnd(prefix), prefix);
	}

	private long deleteRange(byte[] key, byte @Nullable [] rangeEnd, String name) {
		Kv.DeleteRangeRequest request = new Kv.DeleteRangeRequest(key, rangeEnd, false);
		return this.transport.call(EtcdRpc.DELETE_RANGE, request, this.namespace.describe(name)).deleted();
	}

	@Override
	public boolean putIfAbsent(String key, Object value) {
		return txn().when(Compare.absent(key)).then(TxnOp.put(key, value)).commit().succeeded();
	}

	@Override
	public boolean replace(String key, Object value) {
		return txn().when(Compare.exists(key)).then(TxnOp.put(key, value)).commit().succeeded();
	}

	@Override
	public boolean compareAndSet(String key, Object expected, Object value) {
		return txn().when(Compare.value(key).isEqualTo(expected)).then(TxnOp.put(key, value)).commit().succeeded();
	}

	@Override
	public boolean compareAndSetRevision(String key, long modRevision, Object value) {
		Assert.isTrue(modRevision >= 0, "'modRevision' must not be negative");
		return txn().when(Compare.modRevision(key).isEqualTo(modRevision))
			.then(TxnOp.put(key, value))
			.commit()
			.succeeded();
	}

	@Override
	public boolean compareAndDelete(String key, Object expected) {
		return txn().when(Compare.value(key).isEqualTo(expected)).then(TxnOp.delete(key)).commit().succeeded();
	}

	@Override
	public boolean compareAndDeleteRevision(String key, long modRevision) {
		Assert.isTrue(modRevision > 0, "'modRevision' must be positive");
		return txn().when(Compare.modRevision(key).isEqualTo(modRevision))
			.then(TxnOp.delete(key))
			.commit()
			.succeeded();
	}

	@Override
	public Txn txn() {
		return new Txn(this::commit);
	}

	private TxnResult commit(Txn txn) {
		List<Kv.Compare> compares = txn.compares().stream().map(this::toWire).toList();
		Kv.TxnRequest request = new Kv.TxnRequest(compares, txn.thenOps().stream().map(this::toWire).toList(),
				txn.otherwiseOps().stream().map(this::toWire).toList());
		EtcdRpc<Kv.TxnRequest, Kv.TxnResponse> rpc = request.isReadOnly() ? EtcdRpc.READ_ONLY_TXN : EtcdRpc.TXN;
		Kv.TxnResponse response = this.transport.call(rpc, request, describeKeys(txn));
		List<TxnResult.OpResult> results = new ArrayList<>(response.responses().size());
		for (Kv.ResponseOp op : response.responses()) {
			results.add(toResult(op));
		}
		return new TxnResult(response.succeeded(), response.header().revision(), List.copyOf(results));
	}

	private Kv.Compare toWire(Compare compare) {
		byte[] key = this.namespace.encode(compare.key());
		Kv.CompareResult result = switch (compare.operator()) {
			case EQUAL -> Kv.CompareResult.EQUAL;
			case NOT_EQUAL -> Kv.CompareResult.NOT_EQUAL;
			case GREATER -> Kv.CompareResult.GREATER;
			case LESS -> Kv.CompareResult.LESS;
		};
		return switch (compare.target()) {
			case VALUE -> Kv.Compare.of(key, null, Kv.CompareTarget.VALUE, result,
					this.converter.toBytes(compare.operand()));
			case VERSION -> Kv.Compare.of(key, null, Kv.CompareTarget.VERSION, result, compare.operand());
			case CREATE_REVISION -> Kv.Compare.of(key, null, Kv.CompareTarget.CREATE, result, compare.operand());
			case MOD_REVISION -> Kv.Compare.of(key, null, Kv.CompareTarget.MOD, result, compare.operand());
			case LEASE -> Kv.Compare.of(key, null, Kv.CompareTarget.LEASE, result, compare.operand());
		};
	}

	private Kv.RequestOp toWire(TxnOp op) {
		if (op instanceof TxnOp.Put put) {
			return Kv.RequestOp.put(Kv.PutRequest.of(this.namespace.encode(put.key()),
					this.converter.toBytes(put.value()), put.leaseId()));
		}
		byte[] key = this.namespace.encode(op.key());
		if (op instanceof TxnOp.Get get) {
			return Kv.RequestOp.range(Kv.RangeRequest.of(key, get.prefix() ? this.namespace.rangeEnd(get.key()) : null,
					this.readConsistency == ReadConsistency.SERIALIZABLE));
		}
		TxnOp.Delete delete = (TxnOp.Delete) op;
		return Kv.RequestOp.deleteRange(
				new Kv.DeleteRangeRequest(key, delete.prefix() ? this.namespace.rangeEnd(delete.key()) : null, false));
	}

	private TxnResult.OpResult toResult(Kv.ResponseOp op) {
		if (op.responseRange() != null) {
			return new TxnResult.OpResult.GetResult(toKeyValues(op.responseRange().kvs()));
		}
		if (op.responsePut() != null) {
			return new TxnResult.OpResult.PutResult(op.responsePut().header().revision());
		}
		if (op.responseDeleteRange() != null) {
			return new TxnResult.OpResult.DeleteResult(op.responseDeleteRange().deleted());
		}
		throw new EtcdException("etcd txn answered with an operation result of an unknown kind");
	}

	private String describeKeys(Txn txn) {
		return txn.compares()
			.stream()
			.map(Compare::key)
			.distinct()
			.map(this.namespace::describe)
			.collect(Collectors.joining("', '"));
	}

	private List<KeyValue> toKeyValues(List<Kv.KeyValue> kvs) {
		List<KeyValue> result = new ArrayList<>(kvs.size());
		for (Kv.KeyValue kv : kvs) {
			result.add(new KeyValue(this.namespace.decode(kv.key()), kv.value(), kv.createRevision(),
					kv.modRevision(), kv.version(), kv.lease()));
		}
		return List.copyOf(result);
	}

	@Override
	public ClusterOperations cluster() {
		return this.cluster;
	}

	@Override
	public EtcdOperations withConsistency(ReadConsistency consistency) {
		return new EtcdTemplate(this.transport, this.converter, this.namespace, consistency);
	}

	/**
	 * The transport this template sends its calls through.
	 * @return the transport
	 */
	public EtcdTransport getTransport() {
		return this.transport;
	}

	/**
	 * The namespace applied to this template's keys.
	 * @return the namespace
	 */
	public Namespace getNamespace() {
		return this.namespace;
	}

}
