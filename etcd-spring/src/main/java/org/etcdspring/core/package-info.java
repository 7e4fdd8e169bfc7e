/**
 * The etcd key/value API: EtcdOperations, EtcdTemplate, transactions and exceptions.
 */
@NullMarked
package org.etcdspring.core;

import org.jspecify.annotations.NullMarked;
