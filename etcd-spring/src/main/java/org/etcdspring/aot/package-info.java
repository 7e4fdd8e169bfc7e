/**
 * Ahead-of-time processing support: the runtime hints a GraalVM native image needs for
 * what the library reads, writes, finds or calls by reflection.
 */
@NullMarked
package org.etcdspring.aot;

import org.jspecify.annotations.NullMarked;
