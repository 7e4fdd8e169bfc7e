package org.etcdspring.sample;

import java.util.Map;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /orders/{id}/ship}: ships an order under its distributed lock.
 *
 * @author etcd-spring
 */
@RestController
class OrderController {

	private final OrderService orders;

	OrderController(OrderService orders) {
		this.orders = orders;
	}

	@PostMapping("/orders/{id}/ship")
	Map<String, Long> ship(@PathVariable long id) {
		return Map.of("order", id, "shipments", this.orders.ship(id));
	}

}
