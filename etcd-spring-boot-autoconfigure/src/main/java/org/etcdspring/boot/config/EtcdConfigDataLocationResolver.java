package org.etcdspring.boot.config;

import java.util.List;

import org.etcdspring.boot.autoconfigure.EtcdClients;
import org.etcdspring.boot.autoconfigure.EtcdProperties;

import org.springframework.boot.autoconfigure.ssl.PropertiesSslBundle;
import org.springframework.boot.autoconfigure.ssl.SslProperties;
import org.springframework.boot.bootstrap.BootstrapContext;
import org.springframework.boot.bootstrap.BootstrapRegistry;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataLocationResolver;
import org.springframework.boot.context.config.ConfigDataLocationResolverContext;
import org.springframework.boot.context.config.Profiles;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.Assert;

/**
 * Resolves {@code spring.config.import=etcd:/config/myapp/} (and
 * {@code optional:etcd:...}) to an {@link EtcdConfigDataResource}, connecting with the
 * {@code etcd.*} and {@code spring.ssl.bundle.*} properties of the environment being
 * built.
 * <p>
 * Spring Boot resolves an import from the command line or an environment variable before
 * it reads {@code application.properties}, so the import is resolved in the second pass,
 * once profiles are known ({@link #resolveProfileSpecific}): by then the binder holds the
 * command line, the environment and the application's own configuration files, and
 * {@code etcd.peers} may come from any of them, whichever holds the import.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdConfigDataLocationResolver implements ConfigDataLocationResolver<EtcdConfigDataResource> {

	/**
	 * The location prefix.
	 */
	public static final String PREFIX = "etcd:";

	@Override
	public boolean isResolvable(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
		return location.hasPrefix(PREFIX);
	}

	/**
	 * Checks the location only: the resource comes in the second pass.
	 */
	@Override
	public List<EtcdConfigDataResource> resolve(ConfigDataLocationResolverContext context,
			ConfigDataLocation location) {
		prefix(location);
		return List.of();
	}

	@Override
	public List<EtcdConfigDataResource> resolveProfileSpecific(ConfigDataLocationResolverContext context,
			ConfigDataLocation location, Profiles profiles) {
		String prefix = prefix(location);
		ConfigurableBootstrapContext bootstrap = context.getBootstrapContext();
		Binder binder = context.getBinder();
		if (!bootstrap.isRegistered(EtcdConfigClient.class)) {
			bootstrap.register(EtcdConfigClient.class, BootstrapRegistry.InstanceSupplier.from(() -> {
				EtcdProperties properties = binder.bind("etcd", EtcdProperties.class).orElseGet(EtcdProperties::new);
				return new EtcdConfigClient(properties, EtcdClients.connectionDetails(properties, sslBundles(binder)));
			}));
			// The application's own EtcdTemplate takes over (for live reload) once the
			// context exists.
			bootstrap.addCloseListener((event) -> configClient(event.getBootstrapContext()).close());
		}
		return List.of(new EtcdConfigDataResource(prefix, location.isOptional(), configClient(bootstrap)));
	}

	private static EtcdConfigClient configClient(BootstrapContext bootstrap) {
		EtcdConfigClient client = bootstrap.get(EtcdConfigClient.class);
		Assert.state(client != null, "No EtcdConfigClient in the bootstrap context");
		return client;
	}

	private static String prefix(ConfigDataLocation location) {
		String prefix = location.getNonPrefixedValue(PREFIX);
		if (prefix.isEmpty()) {
			throw new IllegalArgumentException("The etcd config import '" + location
					+ "' names no key prefix; use for example spring.config.import=etcd:/config/myapp/");
		}
		return prefix;
	}

	/**
	 * The application's SSL bundles do not exist yet: build them from the properties.
	 */
	private static SslBundles sslBundles(Binder binder) {
		SslProperties ssl = binder.bind("spring.ssl", SslProperties.class).orElseGet(SslProperties::new);
		DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry();
		ssl.getBundle().getPem().forEach((name, pem) -> registry.registerBundle(name, PropertiesSslBundle.get(pem)));
		ssl.getBundle().getJks().forEach((name, jks) -> registry.registerBundle(name, PropertiesSslBundle.get(jks)));
		return registry;
	}

}
