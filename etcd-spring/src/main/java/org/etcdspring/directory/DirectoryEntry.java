package org.etcdspring.directory;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.KeyValue;

/**
 * One entry of a directory listing: a key, or a subdirectory.
 *
 * @param name the path below the listed directory, such as {@code "a"} or {@code "sub/a"}
 * @param key the full key (a subdirectory's key ends with {@code /})
 * @param directory whether the entry is a subdirectory
 * @param kv the stored key and value; {@code null} for a subdirectory
 * @author etcd-spring
 * @since 0.1.0
 */
public record DirectoryEntry(String name, String key, boolean directory, @Nullable KeyValue kv) {
}
