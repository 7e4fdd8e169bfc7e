package org.etcdspring.sample;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
@DirtiesContext // closes the application after this class instead of at JVM exit
class OrderServiceLocalEtcdTests {

	// one etcd member; EtcdServerExtension.cluster(3) for three
	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@DynamicPropertySource
	static void etcdProperties(DynamicPropertyRegistry registry) {
		registry.add("etcd.peers", etcd::endpoint);
	}

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
