/**
 * Actuator endpoint for etcd.
 */
@NullMarked
package org.etcdspring.boot.actuate;

import org.jspecify.annotations.NullMarked;
