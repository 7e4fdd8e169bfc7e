/**
 * The entry point: {@link org.etcdspring.EtcdOperations} and
 * {@link org.etcdspring.EtcdTemplate}, the top of the library's layers, composing the
 * key/value operations ({@code core}), leases, watches, the cluster and the recipes
 * (directories, caches, software transactions, elections, locks) built on them. Nothing
 * below imports this package.
 */
@NullMarked
package org.etcdspring;

import org.jspecify.annotations.NullMarked;
