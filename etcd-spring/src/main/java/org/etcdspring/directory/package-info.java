/**
 * Directories and in-order keys on etcd's flat key space.
 */
@NullMarked
package org.etcdspring.directory;

import org.jspecify.annotations.NullMarked;
