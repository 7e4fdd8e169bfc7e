package org.etcdspring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.etcdspring.cache.EtcdCache;
import org.etcdspring.cache.EtcdCaches;
import org.etcdspring.cluster.ClusterOperations;
import org.etcdspring.cluster.DefaultClusterOperations;
import org.etcdspring.core.Compare;
import org.etcdspring.core.Durations;
import org.etcdspring.core.EtcdCompactedException;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdPreconditionFailedException;
import org.etcdspring.core.EtcdPrefixTooLargeException;
import org.etcdspring.core.EtcdValueConverter;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.PrefixSnapshot;
import org.etcdspring.core.PrintableKey;
import org.etcdspring.core.ReadConsistency;
import org.etcdspring.core.Txn;
import org.etcdspring.core.TxnOp;
import org.etcdspring.core.TxnResult;
import org.etcdspring.core.transport.EtcdRpc;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.core.transport.Kv;
import org.etcdspring.directory.EtcdDirectory;
import org.etcdspring.leader.Election;
import org.etcdspring.lease.EtcdLeases;
import org.etcdspring.lease.Lease;
import org.etcdspring.lease.LeaseOperations;
import org.etcdspring.lease.LeaseStatus;
import org.etcdspring.lock.EtcdLocks;
import org.etcdspring.lock.EtcdMutex;
import org.etcdspring.stm.EtcdStm;
import org.etcdspring.stm.StmFunction;
import org.etcdspring.stm.StmIsolation;
import org.etcdspring.watch.EtcdWatches;
import org.etcdspring.watch.Subscription;
import org.etcdspring.watch.WatchEvent;
import org.etcdspring.watch.WatchListener;
import org.etcdspring.watch.WatchRequest;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.util.Assert;

/**
 * The central class of etcd access: key/value operations, compare-and-swap and
 * transactions on an {@link EtcdTransport}, with values converted by an
 * {@link EtcdValueConverter} and keys placed in a {@link Namespace}; and the top of the
 * library's layers, composing the leases, watches, cluster operations and recipes
 * (directories, caches, software transactions, elections, locks) on them.
 *
 * <p>
 * Thread-safe; create one per cluster and share it.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdTemplate implements EtcdOperations, ApplicationEventPublisherAware, AutoCloseable {

	/**
	 * How often a compare-and-swap loop of the template itself (such as moving a key to
	 * another lease) retries when other writers keep changing the key.
	 */
	private static final int MAX_ATTEMPTS = 16;

	/**
	 * The default of {@link #setReadPageSize(int)}.
	 */
	public static final int DEFAULT_READ_PAGE_SIZE = 1000;

	/**
	 * The default of {@link #setMaxPrefixBytes(long)}: 64 MiB.
	 */
	public static final long DEFAULT_MAX_PREFIX_BYTES = 64L * 1024 * 1024;

	/**
	 * How often a paged read into memory starts over when etcd compacts its revision
	 * before the last page.
	 */
	private static final int MAX_SNAPSHOT_ATTEMPTS = 3;

	private final EtcdTransport transport;

	private final EtcdValueConverter converter;

	private final Namespace namespace;

	private final ReadConsistency readConsistency;

	private final EtcdLeases leases;

	private final EtcdWatches watches;

	private final ClusterOperations cluster;

	private volatile String electionPrefix = Election.DEFAULT_PREFIX;

	private volatile Duration electionTtl = Election.DEFAULT_SESSION_TTL;

	/**
	 * The template that owns the leases, watches and locks: this one, or the one a view
	 * was made from.
	 */
	private final EtcdTemplate owner;

	private volatile int readPageSize = DEFAULT_READ_PAGE_SIZE;

	private volatile long maxPrefixBytes = DEFAULT_MAX_PREFIX_BYTES;

	private String lockPrefix = EtcdLocks.DEFAULT_PREFIX;

	private Duration lockTtl = EtcdLocks.DEFAULT_TTL;

	private @Nullable ApplicationEventPublisher eventPublisher;

	private @Nullable EtcdLocks locks;

	private @Nullable EtcdCaches caches;

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
		this.leases = new EtcdLeases(transport, namespace);
		this.watches = new EtcdWatches(transport, namespace);
		this.cluster = new DefaultClusterOperations(transport);
		this.owner = this;
	}

	private EtcdTemplate(EtcdTemplate owner, ReadConsistency readConsistency) {
		this.transport = owner.transport;
		this.converter = owner.converter;
		this.namespace = owner.namespace;
		this.readConsistency = readConsistency;
		this.leases = owner.leases;
		this.watches = owner.watches;
		this.cluster = owner.cluster;
		this.electionPrefix = owner.electionPrefix;
		this.electionTtl = owner.electionTtl;
		this.owner = owner;
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
		return getPrefixSnapshot(prefix).keyValues();
	}

	@Override
	public PrefixSnapshot getPrefixSnapshot(String prefix) {
		Namespace.checkKey(prefix, "prefix");
		long maxBytes = this.owner.maxPrefixBytes;
		for (int attempt = 1;; attempt++) {
			List<KeyValue> entries = new ArrayList<>();
			try {
				long revision = pagedReader().read(prefix, maxBytes, entries::add);
				return new PrefixSnapshot(entries, revision);
			}
			catch (EtcdCompactedException ex) {
				if (attempt >= MAX_SNAPSHOT_ATTEMPTS) {
					throw compactedWhilePaging(prefix, attempt, ex);
				}
				// Another client compacted the revision the pages were pinned to: read
				// anew.
			}
		}
	}

	@Override
	public long forEachInPrefix(String prefix, Consumer<? super KeyValue> action) {
		Namespace.checkKey(prefix, "prefix");
		Assert.notNull(action, "'action' must not be null");
		try {
			return pagedReader().read(prefix, action);
		}
		catch (EtcdCompactedException ex) {
			throw compactedWhilePaging(prefix, 1, ex);
		}
	}

	private PagedRangeReader pagedReader() {
		return new PagedRangeReader(this.transport, this.namespace,
				this.readConsistency == ReadConsistency.SERIALIZABLE, this.owner.readPageSize);
	}

	private EtcdCompactedException compactedWhilePaging(String prefix, int attempts, EtcdCompactedException ex) {
		String name = PrintableKey.of(this.namespace.describe(prefix));
		return new EtcdCompactedException(
				"etcd prefix '" + name + "' was read page by page at one revision, and "
						+ "etcd compacted that revision before the last page (" + attempts
						+ " attempt(s)); read it again, " + "or compact less often than a read of this prefix takes",
				"range", name, ex.getEndpoint(), ex.getCompactRevision(), ex);
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
		return txn().when(Compare.modRevision(key).isEqualTo(modRevision)).then(TxnOp.delete(key)).commit().succeeded();
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
		byte[] rangeEnd = (compare.rangePrefix() != null) ? this.namespace.rangeEnd(compare.rangePrefix()) : null;
		Kv.CompareResult result = switch (compare.operator()) {
			case EQUAL -> Kv.CompareResult.EQUAL;
			case NOT_EQUAL -> Kv.CompareResult.NOT_EQUAL;
			case GREATER -> Kv.CompareResult.GREATER;
			case LESS -> Kv.CompareResult.LESS;
		};
		return switch (compare.target()) {
			case VALUE ->
				Kv.Compare.of(key, rangeEnd, Kv.CompareTarget.VALUE, result, this.converter.toBytes(compare.operand()));
			case VERSION -> Kv.Compare.of(key, rangeEnd, Kv.CompareTarget.VERSION, result, compare.operand());
			case CREATE_REVISION -> Kv.Compare.of(key, rangeEnd, Kv.CompareTarget.CREATE, result, compare.operand());
			case MOD_REVISION -> Kv.Compare.of(key, rangeEnd, Kv.CompareTarget.MOD, result, compare.operand());
			case LEASE -> Kv.Compare.of(key, rangeEnd, Kv.CompareTarget.LEASE, result, compare.operand());
		};
	}

	private Kv.RequestOp toWire(TxnOp op) {
		if (op instanceof TxnOp.Put put) {
			byte[] value = (put.value() != null) ? this.converter.toBytes(put.value()) : null;
			return Kv.RequestOp.put(new Kv.PutRequest(this.namespace.encode(put.key()), value, put.leaseId(), false,
					value == null, put.keepLease()));
		}
		byte[] key = this.namespace.encode(op.key());
		if (op instanceof TxnOp.Get get) {
			return Kv.RequestOp.range(toWire(get, key));
		}
		TxnOp.Delete delete = (TxnOp.Delete) op;
		return Kv.RequestOp.deleteRange(
				new Kv.DeleteRangeRequest(key, delete.prefix() ? this.namespace.rangeEnd(delete.key()) : null, false));
	}

	private Kv.RangeRequest toWire(TxnOp.Get get, byte[] key) {
		byte[] rangeEnd = get.prefix() ? this.namespace.rangeEnd(get.key()) : null;
		Kv.SortOrder sortOrder = switch (get.order()) {
			case KEY -> null;
			case OLDEST_FIRST -> Kv.SortOrder.ASCEND;
			case NEWEST_FIRST -> Kv.SortOrder.DESCEND;
		};
		return new Kv.RangeRequest(key, rangeEnd, get.limit(), get.revision(), sortOrder,
				(sortOrder != null) ? Kv.SortTarget.CREATE : null, this.readConsistency == ReadConsistency.SERIALIZABLE,
				false, false, get.maxCreateRevision());
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

	/**
	 * The keys a transaction compares and operates on, so that its failure names them (a
	 * transaction without conditions, such as a read of a prefix, too).
	 */
	private String describeKeys(Txn txn) {
		return Stream
			.of(txn.compares().stream().map(Compare::key), txn.thenOps().stream().map(TxnOp::key),
					txn.otherwiseOps().stream().map(TxnOp::key))
			.flatMap(Function.identity())
			.distinct()
			.map(this.namespace::describe)
			.collect(Collectors.joining("', '"));
	}

	private List<KeyValue> toKeyValues(List<Kv.KeyValue> kvs) {
		List<KeyValue> result = new ArrayList<>(kvs.size());
		for (Kv.KeyValue kv : kvs) {
			result.add(new KeyValue(this.namespace.decode(kv.key()), kv.value(), kv.createRevision(), kv.modRevision(),
					kv.version(), kv.lease()));
		}
		return List.copyOf(result);
	}

	@Override
	public ClusterOperations cluster() {
		return this.cluster;
	}

	@Override
	public EtcdOperations withConsistency(ReadConsistency consistency) {
		Assert.notNull(consistency, "'consistency' must not be null");
		return new EtcdTemplate(this, consistency);
	}

	@Override
	public void put(String key, Object value, Duration ttl) {
		byte[] encodedKey = this.namespace.encode(key);
		byte[] bytes = this.converter.toBytes(value);
		Lease lease = this.leases.grant(ttl);
		try {
			this.transport.call(EtcdRpc.PUT, Kv.PutRequest.of(encodedKey, bytes, lease.id()),
					this.namespace.describe(key));
		}
		catch (EtcdException ex) {
			revokeQuietly(lease.id());
			throw ex;
		}
	}

	@Override
	public boolean refresh(String key) {
		KeyValue entry = getEntry(key);
		if (entry == null) {
			return false;
		}
		return entry.lease() == 0 || this.leases.keepAliveOnce(entry.lease()).isPresent();
	}

	@Override
	public boolean refresh(String key, Duration ttl) {
		Namespace.checkKey(key, "key");
		Durations.requirePositive(ttl, "TTL");
		return moveToLease(key, () -> this.leases.grant(ttl).id());
	}

	@Override
	public boolean persist(String key) {
		Namespace.checkKey(key, "key");
		return moveToLease(key, () -> 0L);
	}

	/**
	 * Attach a key to another lease without touching its value: a put with
	 * {@code ignore_value}, guarded by the key's mod revision so a concurrent change is
	 * never overwritten. The old lease is revoked when no key is left on it.
	 */
	private boolean moveToLease(String key, LongSupplier newLease) {
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			KeyValue entry = getEntry(key);
			if (entry == null) {
				return false;
			}
			long leaseId = newLease.getAsLong();
			boolean moved;
			try {
				moved = txn().when(Compare.modRevision(key).isEqualTo(entry.modRevision()))
					.then(TxnOp.setLease(key, leaseId))
					.commit()
					.succeeded();
			}
			catch (EtcdException ex) {
				revokeQuietly(leaseId);
				throw ex;
			}
			if (moved) {
				revokeIfUnused(entry.lease());
				return true;
			}
			revokeQuietly(leaseId);
		}
		throw new EtcdPreconditionFailedException(
				"etcd key '" + PrintableKey.of(this.namespace.describe(key)) + "' changed " + MAX_ATTEMPTS
						+ " times while its lease was being replaced; try again",
				"txn", this.namespace.describe(key), null, null);
	}

	private void revokeIfUnused(long leaseId) {
		if (leaseId != 0) {
			this.leases.timeToLive(leaseId, true)
				.filter((status) -> status.keys().isEmpty())
				.ifPresent((status) -> revokeQuietly(leaseId));
		}
	}

	private void revokeQuietly(long leaseId) {
		if (leaseId != 0) {
			try {
				this.leases.revoke(leaseId);
			}
			catch (EtcdException ex) {
				// It expires on its own after its TTL.
			}
		}
	}

	@Override
	public Optional<Duration> ttl(String key) {
		KeyValue entry = getEntry(key);
		if (entry == null || entry.lease() == 0) {
			return Optional.empty();
		}
		return this.leases.timeToLive(entry.lease(), false).map(LeaseStatus::remaining);
	}

	@Override
	public EtcdDirectory directory(String path) {
		return new EtcdDirectory(this, this.leases, path);
	}

	@Override
	public Subscription watch(String key, WatchListener listener) {
		return this.watches.watch(WatchRequest.key(key), listener);
	}

	@Override
	public Subscription watchPrefix(String prefix, WatchListener listener) {
		return this.watches.watch(WatchRequest.prefix(prefix), listener);
	}

	@Override
	public Subscription watch(WatchRequest request, WatchListener listener) {
		return this.watches.watch(request, listener);
	}

	@Override
	public Stream<WatchEvent> watchStream(WatchRequest request) {
		return this.watches.watchStream(request);
	}

	@Override
	public EtcdCache cache(String prefix) {
		return getCaches().open(prefix);
	}

	/**
	 * The caches opened through this template, with their counters.
	 * @return the caches
	 */
	public EtcdCaches getCaches() {
		return this.owner.ownCaches();
	}

	private synchronized EtcdCaches ownCaches() {
		if (this.caches == null) {
			this.caches = new EtcdCaches(this, this.watches);
		}
		return this.caches;
	}

	@Override
	public <T> @Nullable T stm(StmFunction<T> function) {
		return stm(StmIsolation.SERIALIZABLE_SNAPSHOT, EtcdStm.DEFAULT_MAX_ATTEMPTS, function);
	}

	@Override
	public <T> @Nullable T stm(StmIsolation isolation, int maxAttempts, StmFunction<T> function) {
		return new EtcdStm(this, this.converter, isolation, maxAttempts).run(function);
	}

	@Override
	public Election election(String role) {
		return new Election(this, this.leases, this.watches, this.electionPrefix, role, this.electionTtl);
	}

	/**
	 * Set how many keys one page of a prefix read ({@link #getPrefix}, directory
	 * listings, {@link #forEachInPrefix}) carries at most. Pages start at 16 keys and
	 * grow fourfold up to it; the answer to a page may take at most 32 MiB, and a page
	 * that overflows is read again, at the same revision, with half the keys. Applies to
	 * views of this template too.
	 * @param readPageSize the most keys per page, {@value #DEFAULT_READ_PAGE_SIZE} by
	 * default
	 */
	public void setReadPageSize(int readPageSize) {
		Assert.isTrue(readPageSize > 0, () -> "read page size must be positive, was " + readPageSize);
		this.readPageSize = readPageSize;
	}

	/**
	 * Set how many bytes of keys and values a read of a whole prefix into memory
	 * ({@link #getPrefix}, {@link #getPrefixSnapshot}, directory listings) may hold; a
	 * larger prefix fails with an {@link EtcdPrefixTooLargeException} instead of
	 * exhausting the heap. {@link #forEachInPrefix} holds one page at a time and is not
	 * bounded by it. Applies to views of this template too.
	 * @param maxPrefixBytes the limit, 64 MiB by default
	 */
	public void setMaxPrefixBytes(long maxPrefixBytes) {
		Assert.isTrue(maxPrefixBytes > 0, () -> "max prefix bytes must be positive, was " + maxPrefixBytes);
		this.maxPrefixBytes = maxPrefixBytes;
	}

	/**
	 * Set the prefix of election keys: a participant of role {@code r} puts
	 * {@code <prefix>r/<lease id>}. Applies to elections obtained afterwards, also
	 * through views made afterwards.
	 * @param electionPrefix the prefix, {@value Election#DEFAULT_PREFIX} by default;
	 * empty for none
	 */
	public void setElectionPrefix(String electionPrefix) {
		Assert.notNull(electionPrefix, "'electionPrefix' must not be null");
		this.electionPrefix = electionPrefix;
	}

	/**
	 * Set the time to live of the session that a campaign without a session of its own
	 * opens: how long the role stays taken after its leader died without resigning.
	 * @param electionTtl the time to live, 10 seconds by default
	 */
	public void setElectionTtl(Duration electionTtl) {
		this.electionTtl = Durations.requirePositive(electionTtl, "election TTL");
	}

	@Override
	public EtcdLeases leases() {
		return this.leases;
	}

	@Override
	public EtcdLocks locks() {
		return this.owner.ownLocks();
	}

	private synchronized EtcdLocks ownLocks() {
		if (this.locks == null) {
			EtcdLocks locks = new EtcdLocks(this, this.leases, this.watches, this.lockPrefix);
			locks.setTtl(this.lockTtl);
			locks.setApplicationEventPublisher(this.eventPublisher);
			this.locks = locks;
		}
		return this.locks;
	}

	@Override
	public EtcdMutex lock(String name) {
		return locks().obtain(name);
	}

	/**
	 * Set the key prefix of this template's {@link #locks() locks}, before the first lock
	 * is obtained. Default {@link EtcdLocks#DEFAULT_PREFIX}.
	 * @param lockPrefix the prefix; empty to use lock names as prefixes directly
	 */
	public synchronized void setLockPrefix(String lockPrefix) {
		Assert.notNull(lockPrefix, "'lockPrefix' must not be null");
		Assert.state(this.locks == null, "The lock prefix must be set before the first lock is obtained");
		this.lockPrefix = lockPrefix;
	}

	/**
	 * Set the time to live of the session lease of this template's {@link #locks()
	 * locks}. Default {@link EtcdLocks#DEFAULT_TTL}.
	 * @param lockTtl the time to live, at least one second
	 * @see EtcdLocks#setTtl(Duration)
	 */
	public synchronized void setLockTtl(Duration lockTtl) {
		Assert.isTrue(lockTtl != null && lockTtl.compareTo(Duration.ofSeconds(1)) >= 0,
				() -> "Lock TTL must be at least one second (etcd leases count whole seconds), was " + lockTtl);
		this.lockTtl = lockTtl;
		if (this.locks != null) {
			this.locks.setTtl(lockTtl);
		}
	}

	/**
	 * Set the publisher of the {@link org.etcdspring.lock.EtcdLockLostEvent}s of this
	 * template's locks.
	 * @param eventPublisher the publisher
	 */
	@Override
	public synchronized void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
		if (this.locks != null) {
			this.locks.setApplicationEventPublisher(eventPublisher);
		}
	}

	/**
	 * The watches started through this template, with their counters.
	 * @return the watch manager
	 */
	public EtcdWatches getWatches() {
		return this.watches;
	}

	/**
	 * Release this template's locks (revoking their session), end every watch and lease
	 * keep-alive started through this template and stop their threads. The transport is
	 * not closed: it may be shared.
	 */
	@Override
	public void close() {
		if (this.owner == this) {
			EtcdLocks locks;
			EtcdCaches caches;
			synchronized (this) {
				locks = this.locks;
				caches = this.caches;
			}
			if (caches != null) {
				caches.close();
			}
			if (locks != null) {
				locks.close();
			}
			this.watches.close();
			this.leases.close();
		}
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
