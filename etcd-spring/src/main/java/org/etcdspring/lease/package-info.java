/**
 * Leases and their shared keep-alive scheduler.
 */
@NullMarked
package org.etcdspring.lease;

import org.jspecify.annotations.NullMarked;
