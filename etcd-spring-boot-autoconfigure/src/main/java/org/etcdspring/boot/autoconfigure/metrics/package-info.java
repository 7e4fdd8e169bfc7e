/**
 * Auto-configuration of etcd metrics.
 */
@NullMarked
package org.etcdspring.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
