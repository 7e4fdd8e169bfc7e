/**
 * Auto-configuration for etcd distributed locks.
 */
@NullMarked
package org.etcdspring.boot.autoconfigure.lock;

import org.jspecify.annotations.NullMarked;
