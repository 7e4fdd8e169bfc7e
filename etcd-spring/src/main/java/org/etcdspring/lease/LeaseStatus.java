package org.etcdspring.lease;

import java.time.Duration;
import java.util.List;

/**
 * What the server knows of a live lease.
 *
 * @param id the lease ID
 * @param remaining the time left before it expires
 * @param granted the time to live it was granted (and each keep-alive restores)
 * @param keys the keys attached to it, when asked for
 * @author etcd-spring
 * @since 0.1.0
 */
public record LeaseStatus(long id, Duration remaining, Duration granted, List<String> keys) {
}
