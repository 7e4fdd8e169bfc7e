/**
 * Ahead-of-time processing support of the auto-configuration: runtime hints for
 * configuration import and the actuator endpoint.
 */
@NullMarked
package org.etcdspring.boot.aot;

import org.jspecify.annotations.NullMarked;
