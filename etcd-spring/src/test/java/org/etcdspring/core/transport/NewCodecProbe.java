package org.etcdspring.core.transport;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Stands for a message added to the transport with its own codecs: a serializer named on
 * the class and a deserializer named on a component, each extending Jackson's base class
 * through another ({@code StdSerializer}, {@code StdDeserializer}), and one that no
 * record names (as a non-record type of the package could). No list names them, and
 * {@code TransportRuntimeHintsTests} checks that Jackson can create them all the same.
 *
 * @param value what the message carries
 * @author etcd-spring
 */
@JsonSerialize(using = NewCodecProbe.ProbeSerializer.class)
record NewCodecProbe(@JsonDeserialize(using = NewCodecProbe.ProbeDeserializer.class) String value) {

	static final class ProbeSerializer extends StdSerializer<NewCodecProbe> {

		ProbeSerializer() {
			super(NewCodecProbe.class);
		}

		@Override
		public void serialize(NewCodecProbe probe, JsonGenerator generator, SerializationContext context) {
			generator.writeString(probe.value());
		}

	}

	static final class ProbeDeserializer extends StdDeserializer<String> {

		ProbeDeserializer() {
			super(String.class);
		}

		@Override
		public String deserialize(JsonParser parser, DeserializationContext context) {
			return parser.getValueAsString();
		}

	}

	static final class UnnamedDeserializer extends StdDeserializer<Long> {

		UnnamedDeserializer() {
			super(Long.class);
		}

		@Override
		public Long deserialize(JsonParser parser, DeserializationContext context) {
			return parser.getValueAsLong();
		}

	}

}
