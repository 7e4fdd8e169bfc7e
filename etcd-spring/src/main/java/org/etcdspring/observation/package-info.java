/**
 * Micrometer observations of etcd calls.
 */
@NullMarked
package org.etcdspring.observation;

import org.jspecify.annotations.NullMarked;
