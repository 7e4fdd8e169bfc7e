package org.etcdspring.test;

import java.nio.file.Path;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EtcdServerExtension} registered on an instance field.
 *
 * @author etcd-spring
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdServerExtensionPerTestTests {

	@RegisterExtension
	final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private static Path firstDirectory;

	@Test
	@Order(1)
	void firstTestShouldGetItsOwnServer(EtcdLocalCluster cluster) throws Exception {
		assertThat(cluster).isSameAs(this.etcd.cluster());
		firstDirectory = cluster.directory();
		EtcdHttp.put(this.etcd.endpoint(), "foo", "bar");
	}

	@Test
	@Order(2)
	void secondTestShouldGetFreshServer() throws Exception {
		assertThat(firstDirectory).doesNotExist();
		assertThat(this.etcd.cluster().directory()).isNotEqualTo(firstDirectory);
		assertThat(EtcdHttp.range(this.etcd.endpoint(), "foo")).doesNotContain("\"kvs\"");
	}

}
