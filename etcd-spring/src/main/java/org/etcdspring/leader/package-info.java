/**
 * Leader election with the key layout of etcd's own {@code concurrency.Election}. Besides
 * the {@link org.etcdspring.leader.Election} API: Spring Integration's
 * {@link org.etcdspring.leader.EtcdLeaderInitiator} (the only class here that needs
 * Spring Integration) and the {@link org.etcdspring.leader.EtcdLeader @EtcdLeader}
 * annotation.
 *
 * <p>
 * A recipe: built on {@code core.KeyValueOperations}, {@code lease.LeaseOperations} and
 * {@code watch.WatchOperations}; initiators take an
 * {@link org.etcdspring.leader.ElectionOperations} (which {@code EtcdOperations} is),
 * never {@code org.etcdspring.EtcdOperations} itself.
 */
@NullMarked
package org.etcdspring.leader;

import org.jspecify.annotations.NullMarked;
