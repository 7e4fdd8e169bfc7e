/**
 * Leader election with the key layout of etcd's own {@code concurrency.Election}.
 */
@NullMarked
package org.etcdspring.leader;

import org.jspecify.annotations.NullMarked;
