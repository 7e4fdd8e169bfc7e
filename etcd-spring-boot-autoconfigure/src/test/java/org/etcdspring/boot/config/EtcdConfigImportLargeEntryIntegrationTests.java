package org.etcdspring.boot.config;

import java.net.URI;
import java.util.List;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.core.EtcdResponseTooLargeException;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdLocalCluster;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A config import whose prefix holds an entry larger than a page of a prefix read may be
 * (on an etcd that takes requests of 40 MiB) fails naming the key, not as a refused read;
 * against a real etcd process.
 */
class EtcdConfigImportLargeEntryIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension
		.using(EtcdLocalCluster.builder().extraArgs(List.of("--max-request-bytes=" + 40 * 1024 * 1024)));

	@Test
	void anEntryLargerThanAPageShouldFailTheImportNamingTheKey() {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build()) {
			EtcdTemplate template = new EtcdTemplate(transport);
			// 25 MiB: 33.3 MiB in base64, past the 32 MiB a page may take.
			template.put("/config/huge/app.properties", new byte[25 * 1024 * 1024]);
			SpringApplication application = new SpringApplication(TestApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			assertThatIllegalStateException()
				.isThrownBy(() -> application.run("--spring.config.import=etcd:/config/huge/",
						"--etcd.peers=" + etcd.endpoint()))
				.withMessageStartingWith("Cannot import configuration from etcd prefix '/config/huge/': etcd key "
						+ "'/config/huge/app.properties' under prefix '/config/huge/' is too large to read in a page")
				.withCauseInstanceOf(EtcdResponseTooLargeException.class);
			template.close();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ EtcdAutoConfiguration.class, EtcdConfigAutoConfiguration.class })
	static class TestApplication {

	}

}
