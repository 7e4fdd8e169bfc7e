/**
 * The bottom layer: the key/value model and its operations.
 * {@link org.etcdspring.core.KeyValueOperations} (reads, writes, compare-and-swap,
 * transactions, keys with a time to live), {@link org.etcdspring.core.KeyValue},
 * transactions ({@link org.etcdspring.core.Txn}, {@link org.etcdspring.core.Compare},
 * {@link org.etcdspring.core.TxnOp}, {@link org.etcdspring.core.TxnResult}), value
 * conversion, {@link org.etcdspring.core.Namespace},
 * {@link org.etcdspring.core.PrintableKey} and the exceptions. Depends on no other
 * package of the library: the transport, leases, watches, the recipes and
 * {@code org.etcdspring.EtcdTemplate} are built on it.
 */
@NullMarked
package org.etcdspring.core;

import org.jspecify.annotations.NullMarked;
