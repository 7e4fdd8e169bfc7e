package org.etcdspring.boot.autoconfigure.actuate;

import org.etcdspring.boot.actuate.EtcdSanitizingFunction;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@link EtcdSanitizingFunction}, which the
 * {@code configprops} and {@code env} endpoints apply: Boot no longer masks values by
 * their key names, so the etcd password would otherwise show with
 * {@code show-values=always}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class EtcdSanitizingAutoConfiguration {

	@Bean
	EtcdSanitizingFunction etcdSanitizingFunction() {
		return new EtcdSanitizingFunction();
	}

}
