package org.etcdspring.boot.autoconfigure;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.EtcdPrefixTooLargeException;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code etcd.read-page-size} and {@code etcd.max-prefix-size} reach the template,
 * against a real etcd process.
 */
class EtcdReadBoundsPropertiesTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class));

	@Test
	void maxPrefixSizeShouldBoundPrefixReads() {
		this.contextRunner
			.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.read-page-size=1", "etcd.max-prefix-size=1KB")
			.run((context) -> {
				EtcdTemplate template = context.getBean(EtcdTemplate.class);
				template.put("bounds/a", "x".repeat(600));
				assertThat(template.getPrefix("bounds/")).hasSize(1);
				template.put("bounds/b", "x".repeat(600));
				assertThatExceptionOfType(EtcdPrefixTooLargeException.class)
					.isThrownBy(() -> template.getPrefix("bounds/"))
					.withMessageContaining("more than 1024 bytes");
				template.deletePrefix("bounds/");
			});
	}

	@Test
	void nonPositiveBoundsShouldFailStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.read-page-size=0")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("etcd.read-page-size"));
		this.contextRunner.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.max-prefix-size=0B")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("etcd.max-prefix-size"));
	}

}
