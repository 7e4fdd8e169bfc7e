package org.etcdspring.core.transport;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a uint64 (a string or a number) into a {@code long} with the same bits.
 *
 * @author etcd-spring
 */
final class UnsignedLongDeserializer extends ValueDeserializer<Long> {

	@Override
	public Long deserialize(JsonParser parser, DeserializationContext context) {
		String text = parser.getValueAsString();
		if (text == null || text.isEmpty()) {
			return 0L;
		}
		try {
			return Long.parseUnsignedLong(text);
		}
		catch (NumberFormatException ex) {
			return (Long) context.handleWeirdStringValue(Long.class, text, "not a uint64");
		}
	}

	@Override
	public Long getNullValue(DeserializationContext context) {
		return 0L;
	}

}
