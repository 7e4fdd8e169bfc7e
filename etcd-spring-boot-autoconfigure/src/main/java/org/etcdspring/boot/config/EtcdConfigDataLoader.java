package org.etcdspring.boot.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdPrefixTooLargeException;
import org.etcdspring.core.EtcdResponseTooLargeException;
import org.etcdspring.core.EtcdTimeoutException;
import org.etcdspring.core.EtcdUnavailableException;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.PrefixSnapshot;
import org.etcdspring.core.PrintableKey;

import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;
import org.springframework.boot.logging.DeferredLogFactory;

/**
 * Loads an {@link EtcdConfigDataResource}: reads every key under its prefix once, in
 * pages at one revision (the one the live reload later resumes from, so no change falls
 * between the two), bounded by {@code etcd.read-page-size} and
 * {@code etcd.max-prefix-size}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdConfigDataLoader implements ConfigDataLoader<EtcdConfigDataResource> {

	private final Log logger;

	/**
	 * Creates the loader with a log that holds its messages until the logging system is
	 * initialized (imports are loaded before it is, and would otherwise be silent).
	 * @param logFactory the factory of deferred logs
	 */
	public EtcdConfigDataLoader(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(EtcdConfigDataLoader.class);
	}

	@Override
	public ConfigData load(ConfigDataLoaderContext context, EtcdConfigDataResource resource) {
		EtcdConfigClient client = resource.getClient();
		PrefixSnapshot snapshot;
		try {
			snapshot = client.template().getPrefixSnapshot(resource.getPrefix());
		}
		catch (EtcdPrefixTooLargeException ex) {
			throw new IllegalStateException("Cannot import configuration from etcd prefix '"
					+ PrintableKey.of(resource.getPrefix()) + "': its keys and values add up to more than "
					+ ex.getMaxBytes() + " bytes, the limit etcd.max-prefix-size sets. Raise etcd.max-prefix-size, "
					+ "or import a narrower prefix.", ex);
		}
		catch (EtcdResponseTooLargeException ex) {
			// Not a failure of etcd nor of the credentials: the same read fails again.
			throw new IllegalStateException("Cannot import configuration from etcd prefix '"
					+ PrintableKey.of(resource.getPrefix()) + "': " + ex.getMessage(), ex);
		}
		catch (EtcdException ex) {
			String prefix = PrintableKey.of(resource.getPrefix());
			boolean unreachable = ex instanceof EtcdUnavailableException || ex instanceof EtcdTimeoutException;
			String problem = unreachable ? "etcd is not reachable at " + client.describeEndpoints()
					: "etcd at " + client.describeEndpoints() + " refused the read";
			if (resource.isOptionalImport()) {
				this.logger.warn("Skipping the optional etcd config import of '" + prefix + "': " + problem + " ("
						+ ex.getMessage() + ")");
				return ConfigData.EMPTY;
			}
			String remedy = unreachable ? "Start etcd, fix etcd.peers"
					: "Check etcd.username, etcd.password and the user's role";
			throw new IllegalStateException("Cannot import configuration from etcd prefix '" + prefix
					+ "' (spring.config.import=etcd:" + prefix + "): " + problem + ". " + remedy
					+ ", or make the import optional with 'optional:etcd:" + prefix + "'. Cause: " + ex.getMessage(),
					ex);
		}
		Map<String, byte[]> keys = new LinkedHashMap<>();
		for (KeyValue kv : snapshot.keyValues()) {
			keys.put(kv.key(), kv.value());
		}
		return new ConfigData(List.of(new EtcdPropertySource(resource.getPrefix(), keys, snapshot.revision())));
	}

}
