package org.etcdspring.test;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EtcdServerExtension} registered on a static field.
 *
 * @author etcd-spring
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdServerExtensionTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private static String firstEndpoint;

	@Test
	@Order(1)
	void firstTestShouldGetRunningServer() throws Exception {
		firstEndpoint = etcd.endpoint();
		assertThat(etcd.endpoints()).containsExactly(firstEndpoint);
		EtcdHttp.put(etcd.endpoint(), "foo", "bar");
	}

	@Test
	@Order(2)
	void secondTestShouldShareServerAndGetClusterInjected(EtcdLocalCluster cluster) throws Exception {
		assertThat(cluster).isSameAs(etcd.cluster());
		assertThat(cluster.endpoint()).isEqualTo(firstEndpoint);
		assertThat(EtcdHttp.range(cluster.endpoint(), "foo")).contains("\"value\":\"YmFy\"");
	}

	@Nested
	class NestedTests {

		@Test
		void nestedTestShouldShareServer() {
			assertThat(etcd.endpoint()).isEqualTo(firstEndpoint);
		}

	}

}
