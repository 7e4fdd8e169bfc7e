package org.etcdspring.core;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * Turns values into the bytes stored in etcd and back: a {@code String} is stored as
 * UTF-8 text, a {@code byte[]} as is, any other object as JSON.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdValueConverter {

	private final JsonMapper jsonMapper;

	/**
	 * A converter with a default {@link JsonMapper}.
	 */
	public EtcdValueConverter() {
		this(JsonMapper.builder().build());
	}

	/**
	 * A converter that writes and reads JSON with the given mapper.
	 * @param jsonMapper the mapper for values that are neither text nor bytes
	 */
	public EtcdValueConverter(JsonMapper jsonMapper) {
		Assert.notNull(jsonMapper, "'jsonMapper' must not be null");
		this.jsonMapper = jsonMapper;
	}

	/**
	 * The bytes to store for a value.
	 * @param value a non-null value
	 * @return its bytes
	 * @throws IllegalArgumentException when the value is null or cannot be written as
	 * JSON
	 */
	public byte[] toBytes(Object value) {
		Assert.notNull(value, "etcd value must not be null");
		if (value instanceof byte[] bytes) {
			return bytes;
		}
		if (value instanceof CharSequence text) {
			return text.toString().getBytes(StandardCharsets.UTF_8);
		}
		try {
			return this.jsonMapper.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(
					"Cannot write a " + value.getClass().getName() + " as JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Read stored bytes as the given type.
	 * @param bytes the stored bytes
	 * @param type {@code String}, {@code byte[]} or a type Jackson can read
	 * @param <T> the type
	 * @return the value
	 * @throws EtcdException when the bytes are not JSON of that type
	 */
	@SuppressWarnings("unchecked")
	public <T> T fromBytes(byte[] bytes, Class<T> type) {
		Assert.notNull(type, "'type' must not be null");
		if (type == byte[].class) {
			return (T) bytes;
		}
		if (type == String.class || type == CharSequence.class) {
			return (T) new String(bytes, StandardCharsets.UTF_8);
		}
		try {
			return this.jsonMapper.readValue(bytes, type);
		}
		catch (JacksonException ex) {
			throw new EtcdException(
					"Cannot read the stored value as " + type.getName() + ": " + ex.getOriginalMessage());
		}
	}

}
