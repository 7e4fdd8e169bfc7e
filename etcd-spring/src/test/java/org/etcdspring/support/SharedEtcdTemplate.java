package org.etcdspring.support;

import java.net.URI;
import java.util.List;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of test classes whose tests share one real etcd process and one template on it,
 * both opened before the class's first test and closed after its last.
 */
public abstract class SharedEtcdTemplate {

	@RegisterExtension
	protected static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	protected static EtcdTransport transport;

	protected static EtcdTemplate template;

	@BeforeAll
	static void createTemplate() {
		transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
		template = new EtcdTemplate(transport);
	}

	@AfterAll
	static void closeTemplate() {
		template.close();
		transport.close();
	}

}
