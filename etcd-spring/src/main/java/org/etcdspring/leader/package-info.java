/**
 * Leader election with the key layout of etcd's own {@code concurrency.Election}.
 * Besides the {@link org.etcdspring.leader.Election} API: Spring Integration's
 * {@link org.etcdspring.leader.EtcdLeaderInitiator} (the only class here that needs
 * Spring Integration) and the {@link org.etcdspring.leader.EtcdLeader @EtcdLeader}
 * annotation.
 */
@NullMarked
package org.etcdspring.leader;

import org.jspecify.annotations.NullMarked;
