package org.etcdspring.boot.config;

import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdClients;
import org.etcdspring.boot.autoconfigure.EtcdConnectionDetails;
import org.etcdspring.boot.autoconfigure.EtcdProperties;
import org.etcdspring.core.transport.EtcdRequestObserver;
import org.etcdspring.core.transport.EtcdTransport;

/**
 * The etcd client that reads imported configuration while the environment is being built,
 * before any bean exists; it lives in the bootstrap context and is closed with it.
 *
 * @author etcd-spring
 */
final class EtcdConfigClient implements AutoCloseable {

	private final EtcdTransport transport;

	private final EtcdTemplate template;

	EtcdConfigClient(EtcdProperties properties, EtcdConnectionDetails connectionDetails) {
		this.transport = EtcdClients.transport(properties, connectionDetails, EtcdRequestObserver.NONE);
		this.template = EtcdClients.template(this.transport, properties, JsonMapper.builder().build());
	}

	EtcdTemplate template() {
		return this.template;
	}

	String describeEndpoints() {
		List<String> endpoints = this.transport.endpoints().stream().map(Object::toString).toList();
		return String.join(", ", endpoints);
	}

	@Override
	public void close() {
		this.template.close();
		this.transport.close();
	}

}
