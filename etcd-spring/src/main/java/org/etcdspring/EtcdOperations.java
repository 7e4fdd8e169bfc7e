package org.etcdspring;

import org.jspecify.annotations.Nullable;

import org.etcdspring.cache.EtcdCache;
import org.etcdspring.cluster.ClusterOperations;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.KeyValueOperations;
import org.etcdspring.core.ReadConsistency;
import org.etcdspring.directory.EtcdDirectory;
import org.etcdspring.leader.Election;
import org.etcdspring.leader.ElectionOperations;
import org.etcdspring.lease.LeaseOperations;
import org.etcdspring.lock.EtcdLocks;
import org.etcdspring.lock.EtcdMutex;
import org.etcdspring.stm.EtcdStm;
import org.etcdspring.stm.StmFunction;
import org.etcdspring.stm.StmIsolation;
import org.etcdspring.watch.WatchOperations;

/**
 * Everything etcd offers, in one place, implemented by {@link EtcdTemplate}: the
 * key/value operations ({@link KeyValueOperations}), watches ({@link WatchOperations}),
 * and the recipes composed on them (directories, caches, software transactions,
 * elections, locks), with leases and the cluster. An interface so that callers can be
 * tested with a stand-in.
 *
 * <p>
 * The top of the library's layers: the packages below (the key/value model in
 * {@code core}, the transport, leases, watches, the recipes) know nothing of it.
 *
 * <p>
 * Values: a {@code String} is stored as UTF-8 text, a {@code byte[]} as is, any other
 * object as JSON. Keys must not be null or empty and values must not be null: such calls
 * fail with {@link IllegalArgumentException} before any request is sent. Failures of etcd
 * itself are {@link EtcdException}s.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public interface EtcdOperations extends KeyValueOperations, WatchOperations, ElectionOperations {

	/**
	 * A directory: the keys under {@code path + "/"}, with a marker key, TTL and in-order
	 * children, as etcd v2 had them.
	 * @param path the directory path, without a trailing slash
	 * @return a handle on the directory (nothing is read or written yet)
	 */
	EtcdDirectory directory(String path);

	/**
	 * A live local copy of every key under a prefix: one range read, then a watch keeps
	 * it current, revision by revision. Close it when done.
	 * @param prefix the key prefix, not empty
	 * @return the loaded cache
	 */
	EtcdCache cache(String prefix);

	/**
	 * Run a function as a software transaction with
	 * {@link StmIsolation#SERIALIZABLE_SNAPSHOT serializable snapshot} isolation: its
	 * reads are recorded, its writes buffered and committed in one transaction only if no
	 * key it read or wrote changed meanwhile; on conflict it runs again, up to
	 * {@link EtcdStm#DEFAULT_MAX_ATTEMPTS} times. The function must have no side effects.
	 * @param function reads and writes through the transaction it is given
	 * @param <T> the type of its result
	 * @return the result of the attempt that committed
	 * @throws org.etcdspring.stm.EtcdStmConflictException when every attempt met a
	 * conflict; it names the contended keys
	 * @see EtcdStm
	 */
	<T> @Nullable T stm(StmFunction<T> function);

	/**
	 * Run a function as a software transaction with the given isolation.
	 * @param isolation what the commit checks
	 * @param maxAttempts how many times the function runs at most, at least 1
	 * @param function reads and writes through the transaction it is given; no side
	 * effects
	 * @param <T> the type of its result
	 * @return the result of the attempt that committed
	 * @throws org.etcdspring.stm.EtcdStmConflictException when every attempt met a
	 * conflict
	 * @see EtcdStm
	 */
	<T> @Nullable T stm(StmIsolation isolation, int maxAttempts, StmFunction<T> function);

	/**
	 * The leader election of a role, with the key layout of etcd's
	 * {@code concurrency.Election} under this client's election prefix.
	 * @param role the role; must not contain {@code '/'}
	 * @return the election (nothing is read or written yet)
	 */
	@Override
	Election election(String role);

	/**
	 * Leases: grant, revoke, keep alive.
	 * @return the lease operations
	 */
	LeaseOperations leases();

	/**
	 * Questions about the cluster: version, members, leader, member status and the
	 * endpoints in use.
	 * @return the cluster operations
	 */
	ClusterOperations cluster();

	/**
	 * This client's distributed locks: under one key prefix, held on one kept-alive
	 * session lease.
	 * @return the locks
	 */
	EtcdLocks locks();

	/**
	 * The distributed lock of the given name among {@link #locks()}: the same object that
	 * {@code locks().obtain(name)} returns, that an
	 * {@link org.etcdspring.lock.EtcdLockRegistry} on those locks hands out, and that
	 * {@link org.etcdspring.lock.EtcdLock @EtcdLock} takes.
	 * @param name the lock name, not empty, without {@code /}
	 * @return the lock (nothing is read or written yet)
	 */
	EtcdMutex lock(String name);

	/**
	 * A view of these operations whose reads use another consistency.
	 * @param consistency the read consistency
	 * @return the view
	 */
	@Override
	EtcdOperations withConsistency(ReadConsistency consistency);

}
