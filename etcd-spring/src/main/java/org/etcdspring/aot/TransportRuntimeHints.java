package org.etcdspring.aot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.ClassMetadata;
import org.springframework.core.type.classreading.CachingMetadataReaderFactory;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.util.ClassUtils;

/**
 * Reflection hints for the messages of the JSON transport: Jackson binds every request
 * and response record of {@code org.etcdspring.core.transport} (and the records, enums
 * and lists they hold) through their canonical constructors, record components and
 * accessors, and creates the custom deserializers its annotations name.
 *
 * <p>
 * The messages are found by convention, not listed: every record of the transport package
 * (and its sub-packages) on the class path at build time, read with ASM so that nothing
 * else of the package is loaded. A message added to the package needs no change here.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class TransportRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * The one package that reads and writes JSON on the wire.
	 */
	public static final String TRANSPORT_PACKAGE = "org.etcdspring.core.transport";

	private static final String RECORD = Record.class.getName();

	/**
	 * Jackson 3's base classes of custom (de)serializers, created by reflection when an
	 * annotation names them. A codec may extend them through others
	 * ({@code StdDeserializer}, {@code StdSerializer}, ...).
	 */
	private static final Set<String> JACKSON_CODECS = Set.of("tools.jackson.databind.ValueDeserializer",
			"tools.jackson.databind.ValueSerializer", "tools.jackson.databind.KeyDeserializer");

	private final BindingReflectionHintsRegistrar bindingHints = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		MetadataReaderFactory readers = new CachingMetadataReaderFactory(classLoader);
		for (ClassMetadata type : transportTypes(classLoader)) {
			if (RECORD.equals(type.getSuperClassName())) {
				this.bindingHints.registerReflectionHints(hints.reflection(), load(type, classLoader));
			}
			else if (isJacksonCodec(type, readers)) {
				hints.reflection().registerType(load(type, classLoader), MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
			}
		}
	}

	/**
	 * Whether a class extends one of Jackson's codec base classes, directly or not: its
	 * superclasses are read as class files, not loaded.
	 */
	private static boolean isJacksonCodec(ClassMetadata type, MetadataReaderFactory readers) {
		String superClass = type.getSuperClassName();
		while (superClass != null && !superClass.startsWith("java.")) {
			if (JACKSON_CODECS.contains(superClass)) {
				return true;
			}
			try {
				superClass = readers.getMetadataReader(superClass).getClassMetadata().getSuperClassName();
			}
			catch (IOException ex) {
				// A superclass missing from the class path: nothing Jackson could create
				return false;
			}
		}
		return false;
	}

	/**
	 * The classes of the transport package and its sub-packages, nested ones included, as
	 * the class path holds them.
	 * @param classLoader the class loader to search
	 * @return their metadata, read without loading them
	 */
	static List<ClassMetadata> transportTypes(@Nullable ClassLoader classLoader) {
		PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(classLoader);
		MetadataReaderFactory readers = new CachingMetadataReaderFactory(resolver);
		String pattern = PathMatchingResourcePatternResolver.CLASSPATH_ALL_URL_PREFIX
				+ ClassUtils.convertClassNameToResourcePath(TRANSPORT_PACKAGE) + "/**/*.class";
		try {
			List<ClassMetadata> types = new ArrayList<>();
			for (Resource resource : resolver.getResources(pattern)) {
				types.add(readers.getMetadataReader(resource).getClassMetadata());
			}
			return types;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list the classes of " + TRANSPORT_PACKAGE, ex);
		}
	}

	private static Class<?> load(ClassMetadata type, @Nullable ClassLoader classLoader) {
		try {
			return ClassUtils.forName(type.getClassName(), classLoader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new IllegalStateException("Cannot load " + type.getClassName() + " for its runtime hints", ex);
		}
	}

}
