/**
 * Caches: live, revision-consistent local copies of a key prefix, kept current by a
 * watch.
 */
@NullMarked
package org.etcdspring.cache;

import org.jspecify.annotations.NullMarked;
