/**
 * Auto-configuration of the etcd health indicator.
 */
@NullMarked
package org.etcdspring.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
