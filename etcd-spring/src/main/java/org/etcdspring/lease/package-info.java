/**
 * Leases and their shared keep-alive scheduler.
 *
 * <p>
 * Layer: on {@code core} and {@code core.transport}; the recipes use leases through
 * {@link org.etcdspring.lease.LeaseOperations}.
 */
@NullMarked
package org.etcdspring.lease;

import org.jspecify.annotations.NullMarked;
