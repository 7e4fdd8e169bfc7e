/**
 * Health indicator for etcd.
 */
@NullMarked
package org.etcdspring.boot.health;

import org.jspecify.annotations.NullMarked;
