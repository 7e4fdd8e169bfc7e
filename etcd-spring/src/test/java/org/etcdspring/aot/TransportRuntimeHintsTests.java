package org.etcdspring.aot;

import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

import org.etcdspring.core.transport.Discovery;
import org.etcdspring.core.transport.EtcdRpc;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks, with the registrars a build's AOT processing would apply (every
 * {@code aot.factories} entry on the class path), that each type Jackson reads or writes
 * on the wire has reflection hints. The types are discovered, not listed: every record of
 * the transport package as its class files show, and every type reachable from the
 * request and response types of every {@link EtcdRpc} the package declares, through
 * record components, type arguments and arrays. A new message type without hints fails
 * here, not in a user's native image.
 *
 * @author etcd-spring
 */
class TransportRuntimeHintsTests {

	private static final String TRANSPORT = "org.etcdspring.core.transport";

	private static final RuntimeHints hints = new RuntimeHints();

	@BeforeAll
	static void applyAotFactories() {
		ClassLoader classLoader = TransportRuntimeHintsTests.class.getClassLoader();
		AotServices.factories(classLoader)
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, classLoader));
	}

	@Test
	void aotFactoriesRegisterTheLibrarysRegistrars() {
		List<RuntimeHintsRegistrar> registrars = AotServices.factories().load(RuntimeHintsRegistrar.class).asList();
		assertThat(registrars).hasAtLeastOneElementOfType(TransportRuntimeHints.class)
			.hasAtLeastOneElementOfType(EtcdRuntimeHints.class);
	}

	@Test
	void discoveryFindsTheTransportsMessages() throws Exception {
		Set<Class<?>> records = transportRecords();
		Set<Class<?>> reachable = typesOfEveryRpc();
		// Proof that the discovery sees what it must, so that it cannot pass by finding
		// nothing
		assertThat(records).extracting(Class::getSimpleName)
			.contains("RangeRequest", "TxnResponse", "AuthenticateRequest", "Envelope", "Body", "Member",
					"KeepAliveEnvelope", "Document");
		assertThat(reachable).extracting(Class::getSimpleName)
			.contains("RangeResponse", "KeyValue", "ResponseHeader", "Event", "EventType", "CompareTarget", "Node",
					"Member");
	}

	@Test
	void aMessageAddedToThePackageGetsHintsWithoutBeingListed() throws Exception {
		// NewMessageProbe lives in the test sources of the transport package, and nowhere
		// else: it stands for a message type another change adds
		Class<?> probe = Class.forName(TRANSPORT + ".NewMessageProbe");
		assertThat(transportRecords()).contains(probe);
		assertRecordHints(probe);
	}

	@Test
	void everyRecordOfTheTransportIsBoundByReflection() throws Exception {
		for (Class<?> type : transportRecords()) {
			assertRecordHints(type);
		}
	}

	@Test
	void everyTypeOfEveryRpcHasHints() throws Exception {
		for (Class<?> type : typesOfEveryRpc()) {
			if (type.isRecord()) {
				assertRecordHints(type);
			}
			else if (type.isEnum()) {
				assertThat(RuntimeHintsPredicates.reflection().onType(type)).as("hints for enum %s", type.getName())
					.accepts(hints);
			}
			else {
				// Only records and enums travel on the wire today; a class would need its
				// constructor and properties bound too.
				assertThat(RuntimeHintsPredicates.reflection().onType(type))
					.as("hints for %s, which Jackson binds", type.getName())
					.accepts(hints);
				assertThat(type.getDeclaredConstructors()).as("constructors of %s", type.getName())
					.anyMatch((constructor) -> RuntimeHintsPredicates.reflection()
						.onConstructorInvocation(constructor)
						.test(hints));
			}
		}
	}

	@Test
	void everyCodecOfTheTransportCanBeCreated() throws Exception {
		Set<Class<?>> codecs = new LinkedHashSet<>();
		for (Class<?> type : transportClasses()) {
			if (!Modifier.isAbstract(type.getModifiers()) && (ValueDeserializer.class.isAssignableFrom(type)
					|| ValueSerializer.class.isAssignableFrom(type) || KeyDeserializer.class.isAssignableFrom(type))) {
				codecs.add(type);
			}
		}
		// UnnamedDeserializer extends ValueDeserializer through StdDeserializer, and no
		// record names it: only the registrar's search by base class finds it
		assertThat(codecs).extracting(Class::getSimpleName)
			.contains("UnsignedLongDeserializer", "ProbeSerializer", "ProbeDeserializer", "UnnamedDeserializer");
		for (Class<?> codec : codecs) {
			assertThat(codec.getDeclaredConstructors()).as("constructors of %s", codec.getName())
				.anyMatch((constructor) -> constructor.getParameterCount() == 0
						&& RuntimeHintsPredicates.reflection().onConstructorInvocation(constructor).test(hints));
		}
	}

	@Test
	void codecsNamedByAnnotationsCanBeCreated() throws Exception {
		Set<Class<?>> codecs = new LinkedHashSet<>();
		for (Class<?> type : transportClasses()) {
			List<AnnotatedElement> annotated = new ArrayList<>(List.of(type));
			if (type.isRecord()) {
				for (RecordComponent component : type.getRecordComponents()) {
					annotated.add(component);
					annotated.add(component.getAccessor());
					annotated.add(type.getDeclaredField(component.getName()));
				}
			}
			for (AnnotatedElement element : annotated) {
				codecs.addAll(codecsNamedOn(element));
			}
		}
		// UnsignedLongDeserializer extends ValueDeserializer; NewCodecProbe's codecs,
		// named on the class and on a component, extend it and ValueSerializer through
		// Jackson's Std* classes. (Spring's binding hints of a record already create the
		// codecs its Jackson annotations name; this holds whichever registrar gives
		// them.)
		assertThat(codecs).extracting(Class::getSimpleName)
			.contains("UnsignedLongDeserializer", "ProbeSerializer", "ProbeDeserializer");
		for (Class<?> codec : codecs) {
			assertThat(codec.getDeclaredConstructors()).as("constructors of %s", codec.getName())
				.anyMatch((constructor) -> constructor.getParameterCount() == 0
						&& RuntimeHintsPredicates.reflection().onConstructorInvocation(constructor).test(hints));
		}
	}

	/**
	 * The (de)serializers that {@code @JsonSerialize} and {@code @JsonDeserialize} on an
	 * element name, for values, contents, keys and nulls; not their "none" defaults.
	 */
	private static Set<Class<?>> codecsNamedOn(AnnotatedElement element) {
		Set<Class<?>> codecs = new LinkedHashSet<>();
		JsonSerialize serialize = element.getAnnotation(JsonSerialize.class);
		if (serialize != null) {
			Stream
				.<Class<?>>of(serialize.using(), serialize.contentUsing(), serialize.keyUsing(), serialize.nullsUsing())
				.filter((codec) -> codec != ValueSerializer.None.class)
				.forEach(codecs::add);
		}
		JsonDeserialize deserialize = element.getAnnotation(JsonDeserialize.class);
		if (deserialize != null) {
			Stream.<Class<?>>of(deserialize.using(), deserialize.contentUsing(), deserialize.keyUsing())
				.filter((codec) -> codec != ValueDeserializer.None.class && codec != KeyDeserializer.None.class)
				.forEach(codecs::add);
		}
		return codecs;
	}

	private static void assertRecordHints(Class<?> type) throws NoSuchMethodException {
		Class<?>[] componentTypes = Arrays.stream(type.getRecordComponents())
			.map(RecordComponent::getType)
			.toArray(Class<?>[]::new);
		assertThat(RuntimeHintsPredicates.reflection().onType(type)).as("hints for record %s", type.getName())
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(type.getDeclaredConstructor(componentTypes)))
			.as("canonical constructor of %s", type.getName())
			.accepts(hints);
		for (RecordComponent component : type.getRecordComponents()) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
				.as("accessor %s of %s", component.getName(), type.getName())
				.accepts(hints);
		}
	}

	/**
	 * Every record whose class file lies in the transport package, read from the class
	 * path's directories and jars of that package.
	 */
	static Set<Class<?>> transportRecords() throws IOException, URISyntaxException, ClassNotFoundException {
		Set<Class<?>> records = new LinkedHashSet<>();
		for (Class<?> type : transportClasses()) {
			if (type.isRecord()) {
				records.add(type);
			}
		}
		return records;
	}

	/**
	 * The request and response types of every call the transport declares, and every type
	 * they hold.
	 */
	static Set<Class<?>> typesOfEveryRpc() throws Exception {
		List<Type> roots = new ArrayList<>();
		for (Class<?> type : transportClasses()) {
			for (Field field : type.getDeclaredFields()) {
				if (Modifier.isStatic(field.getModifiers()) && field.getType() == EtcdRpc.class) {
					field.setAccessible(true);
					roots.add(field.getGenericType());
					roots.add(((EtcdRpc<?, ?>) field.get(null)).responseType());
				}
			}
		}
		roots.add(Discovery.document("/token").responseType());
		Set<Class<?>> found = new LinkedHashSet<>();
		roots.forEach((root) -> collect(root, found));
		return found;
	}

	/**
	 * Every class whose class file lies in the transport package or below, in the class
	 * path's directories (main and test classes).
	 */
	private static List<Class<?>> transportClasses() throws IOException, URISyntaxException, ClassNotFoundException {
		Set<Class<?>> classes = new LinkedHashSet<>();
		ClassLoader classLoader = TransportRuntimeHintsTests.class.getClassLoader();
		String packagePath = TRANSPORT.replace('.', '/');
		for (URL url : Collections.list(classLoader.getResources(packagePath))) {
			assertThat(url.getProtocol()).as("the transport package is read from a directory").isEqualTo("file");
			Path root = Path.of(url.toURI());
			try (Stream<Path> files = Files.walk(root)) {
				for (Path file : files.filter((path) -> path.toString().endsWith(".class")).toList()) {
					String relative = root.relativize(file).toString().replace(java.io.File.separatorChar, '.');
					classes.add(Class.forName(TRANSPORT + "." + relative.substring(0, relative.length() - 6), false,
							classLoader));
				}
			}
		}
		return new ArrayList<>(classes);
	}

	private static void collect(Type type, Set<Class<?>> found) {
		if (type instanceof ParameterizedType parameterized) {
			collect(parameterized.getRawType(), found);
			for (Type argument : parameterized.getActualTypeArguments()) {
				collect(argument, found);
			}
		}
		else if (type instanceof GenericArrayType array) {
			collect(array.getGenericComponentType(), found);
		}
		else if (type instanceof Class<?> raw) {
			if (raw.isArray()) {
				collect(raw.getComponentType(), found);
			}
			else if (!raw.isPrimitive() && !raw.getName().startsWith("java.") && raw != EtcdRpc.class && found.add(raw)
					&& raw.isRecord()) {
				for (RecordComponent component : raw.getRecordComponents()) {
					collect(component.getGenericType(), found);
				}
			}
		}
	}

}
