/**
 * The HTTP/JSON transport to etcd's v3 gateway: the only package that knows HTTP and JSON.
 */
@NullMarked
package org.etcdspring.core.transport;

import org.jspecify.annotations.NullMarked;
