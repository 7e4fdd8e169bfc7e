package org.etcdspring.cluster;

/**
 * The versions an etcd member reports.
 *
 * @param server the version of the member's etcd binary, such as {@code 3.4.23}
 * @param cluster the version the whole cluster runs at, such as {@code 3.4.0}; empty
 * while the cluster has not agreed on one
 * @author etcd-spring
 * @since 0.1.0
 */
public record EtcdVersion(String server, String cluster) {

}
