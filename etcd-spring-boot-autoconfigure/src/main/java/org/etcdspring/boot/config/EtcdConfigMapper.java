package org.etcdspring.boot.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.PrintableKey;

import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * Turns the keys under an imported prefix into properties: {@code <prefix>server.port}
 * and {@code <prefix>server/port} both become {@code server.port}; a key ending in
 * {@code .yml}, {@code .yaml} or {@code .properties} is read as a whole document. Single
 * keys win over documents, later documents (in key order) over earlier ones.
 *
 * @author etcd-spring
 */
final class EtcdConfigMapper {

	private static final PropertySourceLoader YAML = new YamlPropertySourceLoader();

	private static final PropertySourceLoader PROPERTIES = new PropertiesPropertySourceLoader();

	private EtcdConfigMapper() {
	}

	static Map<String, Object> toProperties(String prefix, Map<String, byte[]> keys) {
		Map<String, Object> documents = new LinkedHashMap<>();
		Map<String, Object> single = new LinkedHashMap<>();
		for (Map.Entry<String, byte[]> entry : new TreeMap<>(keys).entrySet()) {
			String relative = entry.getKey().substring(prefix.length());
			if (relative.isEmpty() || relative.endsWith("/")) {
				continue;
			}
			PropertySourceLoader loader = loaderFor(relative);
			if (loader != null) {
				documents.putAll(read(loader, entry.getKey(), entry.getValue()));
			}
			else {
				single.put(relative.replace('/', '.'), new String(entry.getValue(), StandardCharsets.UTF_8));
			}
		}
		documents.putAll(single);
		return Map.copyOf(documents);
	}

	private static @Nullable PropertySourceLoader loaderFor(String name) {
		if (name.endsWith(".yml") || name.endsWith(".yaml")) {
			return YAML;
		}
		return name.endsWith(".properties") ? PROPERTIES : null;
	}

	private static Map<String, Object> read(PropertySourceLoader loader, String key, byte[] content) {
		Map<String, Object> properties = new LinkedHashMap<>();
		try {
			List<PropertySource<?>> sources = loader.load(key,
					new ByteArrayResource(content, "etcd key " + PrintableKey.of(key)));
			for (PropertySource<?> source : sources) {
				if (source instanceof EnumerablePropertySource<?> enumerable) {
					for (String name : enumerable.getPropertyNames()) {
						Object value = enumerable.getProperty(name);
						properties.put(name,
								(value instanceof OriginTrackedValue tracked) ? tracked.getValue() : value);
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Parser messages quote the document, which may hold secrets: name the key
			// only,
			// and leave the cause out so no log line or stack trace prints it.
			throw new IllegalStateException("Cannot read the etcd key '" + PrintableKey.of(key) + "' as a "
					+ (YAML.equals(loader) ? "YAML" : "properties") + " document (" + ex.getClass().getSimpleName()
					+ "); fix or delete the key. Its content is not shown, as it may hold secrets.");
		}
		return properties;
	}

}
