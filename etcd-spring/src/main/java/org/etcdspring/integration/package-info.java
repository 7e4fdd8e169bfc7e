/**
 * Spring Integration components for etcd.
 */
@NullMarked
package org.etcdspring.integration;

import org.jspecify.annotations.NullMarked;
