/**
 * Configuration imported from etcd with spring.config.import=etcd:, and its live reload.
 */
@NullMarked
package org.etcdspring.boot.config;

import org.jspecify.annotations.NullMarked;
