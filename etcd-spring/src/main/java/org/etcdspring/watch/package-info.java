/**
 * Watches: streams of changes that resume without loss after reconnects.
 */
@NullMarked
package org.etcdspring.watch;

import org.jspecify.annotations.NullMarked;
