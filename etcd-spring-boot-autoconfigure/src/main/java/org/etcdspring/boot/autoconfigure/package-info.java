/**
 * Auto-configuration for etcd.
 */
@NullMarked
package org.etcdspring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
