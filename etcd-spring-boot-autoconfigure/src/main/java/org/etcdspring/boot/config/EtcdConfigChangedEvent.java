package org.etcdspring.boot.config;

import java.util.Set;

import org.springframework.context.ApplicationEvent;

/**
 * Published when keys under an imported etcd prefix changed and the environment was
 * updated.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdConfigChangedEvent extends ApplicationEvent {

	private final String prefix;

	private final Set<String> keys;

	public EtcdConfigChangedEvent(Object source, String prefix, Set<String> keys) {
		super(source);
		this.prefix = prefix;
		this.keys = Set.copyOf(keys);
	}

	/**
	 * The imported prefix whose keys changed.
	 * @return the prefix
	 */
	public String getPrefix() {
		return this.prefix;
	}

	/**
	 * The names of the properties that were added, changed or removed.
	 * @return the property names
	 */
	public Set<String> getKeys() {
		return this.keys;
	}

}
