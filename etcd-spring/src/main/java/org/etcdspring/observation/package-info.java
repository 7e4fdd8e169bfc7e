/**
 * Micrometer observations of etcd calls.
 *
 * <p>
 * Above the top (it plugs into {@code core.transport}'s {@code EtcdRequestObserver}):
 * nothing in the library uses it.
 */
@NullMarked
package org.etcdspring.observation;

import org.jspecify.annotations.NullMarked;
