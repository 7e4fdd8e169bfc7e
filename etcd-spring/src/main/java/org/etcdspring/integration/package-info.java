/**
 * Spring Integration components for etcd.
 *
 * <p>
 * Above the top: built on {@code org.etcdspring.EtcdOperations} and the watch API;
 * nothing in the library uses it.
 */
@NullMarked
package org.etcdspring.integration;

import org.jspecify.annotations.NullMarked;
