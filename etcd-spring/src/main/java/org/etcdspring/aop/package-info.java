/**
 * AOP infrastructure shared by the annotation-driven recipes ({@code @EtcdLock},
 * {@code @EtcdLeader}); depends on Spring only.
 */
@NullMarked
package org.etcdspring.aop;

import org.jspecify.annotations.NullMarked;
