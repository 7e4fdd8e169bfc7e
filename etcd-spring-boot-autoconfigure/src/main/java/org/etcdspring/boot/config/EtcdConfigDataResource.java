package org.etcdspring.boot.config;

import java.util.Objects;

import org.springframework.boot.context.config.ConfigDataResource;

/**
 * One {@code etcd:} import: a key prefix whose keys become properties.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdConfigDataResource extends ConfigDataResource {

	private final String prefix;

	private final boolean optional;

	private final EtcdConfigClient client;

	EtcdConfigDataResource(String prefix, boolean optional, EtcdConfigClient client) {
		super(optional);
		this.prefix = prefix;
		this.optional = optional;
		this.client = client;
	}

	/**
	 * Whether the import was {@code optional:}, so that an unreachable etcd is skipped.
	 * @return whether the import is optional
	 */
	public boolean isOptionalImport() {
		return this.optional;
	}

	/**
	 * The imported key prefix, such as {@code /config/myapp/}.
	 * @return the prefix
	 */
	public String getPrefix() {
		return this.prefix;
	}

	EtcdConfigClient getClient() {
		return this.client;
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof EtcdConfigDataResource that) && this.prefix.equals(that.prefix);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.prefix);
	}

	@Override
	public String toString() {
		return "etcd:" + this.prefix;
	}

}
