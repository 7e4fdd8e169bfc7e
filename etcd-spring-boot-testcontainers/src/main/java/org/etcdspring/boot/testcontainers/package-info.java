/**
 * Testcontainers support for etcd.
 */
@NullMarked
package org.etcdspring.boot.testcontainers;

import org.jspecify.annotations.NullMarked;
