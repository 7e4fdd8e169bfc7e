package org.etcdspring.sample;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.testcontainers.EtcdContainer;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

@Testcontainers // before @SpringBootTest: the application closes before etcd stops
@SpringBootTest
@DirtiesContext // closes the application after this class instead of at JVM exit
class OrderServiceContainerTests {

	@Container
	@ServiceConnection
	static final EtcdContainer etcd = new EtcdContainer(
			System.getenv().getOrDefault("ETCD_IMAGE", "quay.io/coreos/etcd:v3.5.17"))
		.withRootPassword("s3cret");

	@Autowired
	OrderService orderService;

	@Autowired
	EtcdTemplate etcdTemplate;

	@Test
	void countsEveryShipment() {
		assertThat(this.orderService.ship(42)).isEqualTo(1);
		assertThat(this.orderService.ship(42)).isEqualTo(2);
		assertThat(this.etcdTemplate.get("orders/42/shipments", Long.class)).isEqualTo(2L);
	}

}
