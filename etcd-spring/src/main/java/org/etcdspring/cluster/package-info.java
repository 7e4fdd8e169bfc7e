/**
 * The etcd cluster: members, leader, version and status, endpoint auto-sync, and
 * discovery of the members through a discovery token URL or DNS SRV records.
 *
 * <p>
 * Layer: on {@code core} and {@code core.transport} only.
 */
@NullMarked
package org.etcdspring.cluster;

import org.jspecify.annotations.NullMarked;
