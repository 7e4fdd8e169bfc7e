package org.etcdspring.boot.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.etcdspring.EtcdOperations;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.ReadConsistency;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EtcdAutoConfiguration}, against a real etcd process.
 */
class EtcdAutoConfigurationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class));

	@Test
	void templateShouldTalkToTheConfiguredPeers() {
		this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint()).run((context) -> {
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			template.put("autoconfig/key", "value");
			assertThat(template.get("autoconfig/key")).isEqualTo("value");
			assertThat(context.getBean(EtcdTransport.class).endpoints()).containsExactly(URI.create(etcd.endpoint()));
		});
	}

	@Test
	void hostAndPortShorthandShouldMeanHttp() {
		String hostAndPort = etcd.endpoint().substring("http://".length());
		this.contextRunner.withPropertyValues("etcd.peers=" + hostAndPort).run((context) -> {
			assertThat(context.getBean(EtcdConnectionDetails.class).getEndpoints())
				.containsExactly(URI.create(etcd.endpoint()));
			context.getBean(EtcdTemplate.class).put("shorthand/key", "v");
		});
	}

	@Test
	void namespaceAndTimeoutsShouldBeApplied() {
		this.contextRunner
			.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.namespace=/autoconfig-ns/",
					"etcd.request-timeout=3s", "etcd.read-consistency=serializable")
			.run((context) -> {
				EtcdTemplate template = context.getBean(EtcdTemplate.class);
				assertThat(template.getNamespace().prefix()).isEqualTo("/autoconfig-ns/");
				assertThat(context.getBean(EtcdTransport.class).requestTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(context.getBean(EtcdProperties.class).getReadConsistency())
					.isEqualTo(ReadConsistency.SERIALIZABLE);
				template.put("k", "in namespace");
				try (EtcdTransport plain = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build()) {
					assertThat(new EtcdTemplate(plain).get("/autoconfig-ns/k")).isEqualTo("in namespace");
				}
			});
	}

	@Test
	void userDefinedTemplateShouldMakeTheAutoConfigurationBackOff() {
		this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint())
			.withUserConfiguration(UserTemplateConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(EtcdOperations.class);
				assertThat(context.getBean(EtcdOperations.class))
					.isSameAs(context.getBean(UserTemplateConfiguration.class).template);
			});
	}

	@Test
	void userDefinedConnectionDetailsShouldWinOverProperties() {
		this.contextRunner.withPropertyValues("etcd.peers=http://127.0.0.1:1")
			.withBean(EtcdConnectionDetails.class, () -> () -> List.of(URI.create(etcd.endpoint())))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(PropertiesEtcdConnectionDetails.class);
				context.getBean(EtcdTemplate.class).put("details/key", "v");
			});
	}

	@Test
	void malformedPeerShouldFailStartup() {
		this.contextRunner.withPropertyValues("etcd.peers=http://127.0.0.1:2379,ftp://etcd:2379").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidEtcdPeerException.class)
				.hasMessageContaining("etcd.peers[1]")
				.hasMessageContaining("ftp://etcd:2379");
		});
	}

	@Test
	void nonPositiveTimeoutShouldFailStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.request-timeout=0s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("etcd.request-timeout");
			});
	}

	@Test
	void withoutTheLibraryShouldBackOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(EtcdTemplate.class))
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdTransport.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTemplateConfiguration {

		final EtcdTemplate template = new EtcdTemplate(
				EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build());

		@Bean
		EtcdTemplate myTemplate() {
			return this.template;
		}

	}

}
