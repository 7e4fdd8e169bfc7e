/**
 * The HTTP/JSON transport to etcd's v3 gateway: the only package that knows HTTP and
 * JSON.
 *
 * <p>
 * Layer: above {@code core} (whose exceptions and {@code PrintableKey} it uses) and below
 * everything else; it knows nothing of leases, watches, recipes or the template.
 */
@NullMarked
package org.etcdspring.core.transport;

import org.jspecify.annotations.NullMarked;
