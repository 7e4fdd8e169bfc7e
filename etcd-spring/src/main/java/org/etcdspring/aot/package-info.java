/**
 * Ahead-of-time processing support: the runtime hints a GraalVM native image needs for
 * what the library reads, writes, finds or calls by reflection.
 *
 * <p>
 * Above the top: reads the recipes' annotations; nothing in the library uses it.
 */
@NullMarked
package org.etcdspring.aot;

import org.jspecify.annotations.NullMarked;
