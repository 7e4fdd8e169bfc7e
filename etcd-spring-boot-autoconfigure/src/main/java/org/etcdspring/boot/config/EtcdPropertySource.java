package org.etcdspring.boot.config;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.EnumerablePropertySource;

/**
 * The properties imported from one etcd key prefix. Its content is replaced in place when
 * the keys change, so the environment sees the new values at once.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdPropertySource extends EnumerablePropertySource<String> {

	private volatile Map<String, Object> properties;

	private volatile Map<String, byte[]> keys;

	private volatile long revision;

	EtcdPropertySource(String prefix, Map<String, byte[]> keys, long revision) {
		super("etcd:" + prefix, prefix);
		this.keys = Map.copyOf(keys);
		this.properties = EtcdConfigMapper.toProperties(prefix, this.keys);
		this.revision = revision;
	}

	/**
	 * The imported key prefix.
	 * @return the prefix
	 */
	public String getPrefix() {
		return getSource();
	}

	/**
	 * The store revision the properties reflect.
	 * @return the revision
	 */
	public long getRevision() {
		return this.revision;
	}

	Map<String, byte[]> getKeys() {
		return this.keys;
	}

	@Override
	public String[] getPropertyNames() {
		return this.properties.keySet().toArray(String[]::new);
	}

	@Override
	public @Nullable Object getProperty(String name) {
		return this.properties.get(name);
	}

	/**
	 * Replace the content with the given keys.
	 * @param keys every key under the prefix and its value
	 * @param revision the revision they reflect
	 * @return the names of the properties that were added, changed or removed
	 */
	synchronized Set<String> update(Map<String, byte[]> keys, long revision) {
		Map<String, Object> updated = EtcdConfigMapper.toProperties(getPrefix(), keys);
		Map<String, Object> previous = this.properties;
		Set<String> changed = new HashSet<>();
		updated.forEach((name, value) -> {
			if (!Objects.equals(previous.get(name), value)) {
				changed.add(name);
			}
		});
		previous.keySet().stream().filter((name) -> !updated.containsKey(name)).forEach(changed::add);
		this.keys = Map.copyOf(keys);
		this.properties = updated;
		this.revision = revision;
		return changed;
	}

}
