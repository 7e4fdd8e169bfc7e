/**
 * Docker Compose service connection for etcd.
 */
@NullMarked
package org.etcdspring.boot.docker.compose;

import org.jspecify.annotations.NullMarked;
