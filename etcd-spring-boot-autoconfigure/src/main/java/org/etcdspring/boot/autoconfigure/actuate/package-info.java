/**
 * Auto-configuration of the etcd actuator endpoint.
 */
@NullMarked
package org.etcdspring.boot.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
