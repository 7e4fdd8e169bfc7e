package org.etcdspring.boot.testcontainers;

import java.util.Arrays;
import java.util.List;

import org.testcontainers.utility.DockerImageName;

/**
 * The etcd image tags the container tests use: those listed in
 * {@code ETCD_CONTAINER_VERSIONS} (set by {@code dev/ensure-container-engine}, which
 * builds them from the machine's etcd binaries), otherwise the tag of
 * {@link EtcdContainer#DEFAULT_IMAGE}, which a Docker engine pulls.
 */
final class EtcdTestImages {

	private EtcdTestImages() {
	}

	static List<String> versions() {
		String listed = System.getenv("ETCD_CONTAINER_VERSIONS");
		if (listed == null || listed.isBlank()) {
			return List.of(EtcdContainer.DEFAULT_IMAGE.getVersionPart());
		}
		return Arrays.asList(listed.trim().split("\\s+"));
	}

	static DockerImageName gcr(String version) {
		return EtcdContainer.GCR_IMAGE.withTag(version);
	}

	static DockerImageName quay(String version) {
		return EtcdContainer.QUAY_IMAGE.withTag(version);
	}

	static String oldest() {
		return versions().get(0);
	}

	static String newest() {
		return versions().get(versions().size() - 1);
	}

}
