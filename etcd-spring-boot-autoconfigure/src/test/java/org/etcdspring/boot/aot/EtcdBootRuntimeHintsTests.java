package org.etcdspring.boot.aot;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;
import org.etcdspring.boot.autoconfigure.EtcdProperties;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.core.test.tools.SourceFile;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the hints of the auto-configuration module, as a build's AOT processing would
 * gather them (every {@code aot.factories} registrar on the class path, and the registrar
 * the endpoint's auto-configuration imports). The types are discovered: every record of
 * the actuator package and of the answers of its read operations, and every class this
 * module lists in {@code META-INF/spring.factories}.
 *
 * @author etcd-spring
 */
class EtcdBootRuntimeHintsTests {

	private static final String ACTUATE = "org.etcdspring.boot.actuate";

	private static final RuntimeHints hints = new RuntimeHints();

	@BeforeAll
	static void applyRegistrars() {
		ClassLoader classLoader = EtcdBootRuntimeHintsTests.class.getClassLoader();
		AotServices.factories(classLoader)
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, classLoader));
		new EtcdEndpointRuntimeHints().registerHints(hints, classLoader);
	}

	@Test
	void everyRecordTheEndpointAnswersIsWritableByJackson() throws Exception {
		Set<Class<?>> records = endpointRecords();
		assertThat(records).extracting(Class::getSimpleName)
			.contains("EtcdDescriptor", "MemberDescriptor", "HeldLock", "WatchInfo");
		for (Class<?> record : records) {
			assertThat(RuntimeHintsPredicates.reflection().onType(record)).as("hints for %s", record.getName())
				.accepts(hints);
			for (RecordComponent component : record.getRecordComponents()) {
				assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
					.as("accessor %s of %s", component.getName(), record.getName())
					.accepts(hints);
			}
		}
	}

	@Test
	void everyClassOfThisModulesSpringFactoriesCanBeCreated() throws Exception {
		List<String> implementations = ownSpringFactories();
		assertThat(implementations).contains("org.etcdspring.boot.config.EtcdConfigDataLocationResolver",
				"org.etcdspring.boot.config.EtcdConfigDataLoader");
		for (String implementation : implementations) {
			Class<?> type = Class.forName(implementation);
			assertThat(type.getDeclaredConstructors()).as("a constructor of %s with hints", implementation)
				.anyMatch((constructor) -> RuntimeHintsPredicates.reflection()
					.onConstructorInvocation(constructor)
					.test(hints));
		}
	}

	@Test
	void propertiesBoundBeforeTheContextExistsAreBindable() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(EtcdProperties.class.getDeclaredConstructor())).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(EtcdProperties.class.getMethod("setPeers", List.class))).accepts(hints);
	}

	@Test
	void springCloudsEnvironmentChangeEventCanBeCreatedWhereItIsPresent() {
		TypeReference event = TypeReference.of(EtcdConfigRuntimeHints.ENVIRONMENT_CHANGE_EVENT);
		RuntimeHints withoutSpringCloud = new RuntimeHints();
		new EtcdConfigRuntimeHints().registerHints(withoutSpringCloud, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onType(event)).rejects(withoutSpringCloud);
		// Spring Cloud Context is no dependency of this build: a class of the same name
		// and constructor stands for it, compiled here into a class loader of its own so
		// that no other test (the config watcher's) finds it
		SourceFile springCloudEvent = SourceFile.of("""
				package org.springframework.cloud.context.environment;

				import java.util.Set;

				import org.springframework.context.ApplicationEvent;

				public class EnvironmentChangeEvent extends ApplicationEvent {

					private final Set<String> keys;

					public EnvironmentChangeEvent(Object context, Set<String> keys) {
						super(context);
						this.keys = keys;
					}

					public Set<String> getKeys() {
						return this.keys;
					}

				}
				""");
		TestCompiler.forSystem().withSources(springCloudEvent).compile((compiled) -> {
			RuntimeHints hints = new RuntimeHints();
			new EtcdConfigRuntimeHints().registerHints(hints, compiled.getClassLoader());
			Class<?> type = compiled.getAllCompiledClasses().get(0);
			assertThat(type.getName()).isEqualTo(event.getName());
			assertThat(RuntimeHintsPredicates.reflection().onType(event)).accepts(hints);
			// What EtcdConfigWatcher calls to publish it
			assertThat(RuntimeHintsPredicates.reflection()
				.onConstructorInvocation(constructor(type, Object.class, Set.class))).accepts(hints);
		});
	}

	private static Constructor<?> constructor(Class<?> type, Class<?>... parameterTypes) {
		try {
			return type.getConstructor(parameterTypes);
		}
		catch (NoSuchMethodException ex) {
			throw new AssertionError(ex);
		}
	}

	/**
	 * The records of the actuator package, and every record the answers of its read
	 * operations hold, however deep.
	 */
	private static Set<Class<?>> endpointRecords() throws Exception {
		List<Type> roots = new ArrayList<>();
		ClassLoader classLoader = EtcdBootRuntimeHintsTests.class.getClassLoader();
		for (URL url : Collections.list(classLoader.getResources(ACTUATE.replace('.', '/')))) {
			try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
				for (Path file : files.filter((path) -> path.toString().endsWith(".class")).toList()) {
					String name = file.getFileName().toString();
					Class<?> type = Class.forName(ACTUATE + "." + name.substring(0, name.length() - 6), false,
							classLoader);
					roots.add(type);
					for (Method method : type.getDeclaredMethods()) {
						if (method.isAnnotationPresent(ReadOperation.class)) {
							roots.add(method.getGenericReturnType());
						}
					}
				}
			}
		}
		Set<Class<?>> records = new LinkedHashSet<>();
		roots.forEach((root) -> collectRecords(root, records));
		return records;
	}

	private static void collectRecords(Type type, Set<Class<?>> records) {
		if (type instanceof ParameterizedType parameterized) {
			for (Type argument : parameterized.getActualTypeArguments()) {
				collectRecords(argument, records);
			}
		}
		else if (type instanceof Class<?> raw && raw.isRecord() && records.add(raw)) {
			for (RecordComponent component : raw.getRecordComponents()) {
				collectRecords(component.getGenericType(), records);
			}
		}
	}

	/**
	 * The implementations that this module's own {@code spring.factories} lists.
	 */
	private static List<String> ownSpringFactories() throws IOException {
		URL classes = EtcdAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation();
		List<String> implementations = new ArrayList<>();
		ClassLoader classLoader = EtcdBootRuntimeHintsTests.class.getClassLoader();
		for (URL url : Collections.list(classLoader.getResources("META-INF/spring.factories"))) {
			if (url.toString().startsWith(classes.toString())) {
				Properties factories = PropertiesLoaderUtils.loadProperties(new UrlResource(url));
				factories.values()
					.forEach((value) -> implementations
						.addAll(StringUtils.commaDelimitedListToSet(value.toString().replace(" ", ""))));
			}
		}
		return implementations;
	}

}
