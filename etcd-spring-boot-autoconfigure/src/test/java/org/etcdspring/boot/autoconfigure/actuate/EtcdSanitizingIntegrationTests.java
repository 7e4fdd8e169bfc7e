package org.etcdspring.boot.autoconfigure.actuate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.test.EtcdLocalCluster;

import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/configprops} and {@code /actuator/env} with {@code show-values}
 * {@code always}: the etcd password and user info in peer URLs stay masked, while the
 * other values show.
 */
class EtcdSanitizingIntegrationTests {

	private static final String PASSWORD = "S3cret-Actuator-pw";

	private static EtcdLocalCluster etcd;

	private final JsonMapper json = JsonMapper.builder().build();

	@BeforeAll
	static void startEtcd() {
		etcd = EtcdLocalCluster.start(1);
	}

	@AfterAll
	static void stop() {
		etcd.close();
	}

	@Test
	void passwordShouldBeMaskedInConfigpropsAndEnvEvenWhenValuesShow() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdSanitizingAutoConfiguration.class,
					EndpointAutoConfiguration.class, ConfigurationPropertiesReportEndpointAutoConfiguration.class,
					EnvironmentEndpointAutoConfiguration.class))
			.withPropertyValues("etcd.peers=" + etcd.endpoint(), "etcd.username=app", "etcd.password=" + PASSWORD,
					"management.endpoints.web.exposure.include=configprops,env",
					"management.endpoint.configprops.show-values=always", "management.endpoint.env.show-values=always")
			.run((context) -> {
				// The server has no authentication: the credentials are configured, not
				// needed
				context.getBean(EtcdTemplate.class).put("actuator/key", "value");
				String configprops = configprops(context);
				assertThat(configprops).contains("\"username\":\"app\"")
					.contains("\"password\":\"******\"")
					.contains(etcd.endpoint())
					.doesNotContain(PASSWORD);
				String env = this.json.writeValueAsString(context.getBean(EnvironmentEndpoint.class).environment(null));
				assertThat(env).contains("etcd.password").contains(etcd.endpoint()).doesNotContain(PASSWORD);
			});
	}

	@Test
	void userInfoOfPeerUrlsShouldBeMaskedInEnvInEverySpelling() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EtcdSanitizingAutoConfiguration.class))
			.withPropertyValues("etcd.peers=https://root:" + PASSWORD + "@10.0.0.1:2379,http://10.0.0.2:2379",
					"etcd.peers[1]=https://admin:" + PASSWORD + "@10.0.0.3:2379",
					"etcd.peers[2]=app:" + PASSWORD + "@10.0.0.5:2379", "ETCD_PASSWORD=" + PASSWORD,
					"other.url=https://keep:visible@10.0.0.4:2379")
			.run((context) -> {
				String env = env(context);
				assertThat(env).contains("https://******@10.0.0.1:2379,http://10.0.0.2:2379")
					.contains("https://******@10.0.0.3:2379")
					.contains("******@10.0.0.5:2379")
					.contains("https://keep:visible@10.0.0.4:2379")
					.doesNotContain(PASSWORD)
					.doesNotContain("root:")
					.doesNotContain("admin:");
			});
	}

	private String configprops(ApplicationContext context) {
		return this.json
			.writeValueAsString(context.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties());
	}

	private String env(ApplicationContext context) {
		EnvironmentEndpoint endpoint = new EnvironmentEndpoint(context.getEnvironment(),
				context.getBeanProvider(SanitizingFunction.class), Show.ALWAYS);
		return this.json.writeValueAsString(endpoint.environment(null));
	}

}
