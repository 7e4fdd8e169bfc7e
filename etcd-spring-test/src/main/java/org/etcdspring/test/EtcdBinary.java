package org.etcdspring.test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Locates the {@code etcd} executable.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
final class EtcdBinary {

	static final String NOT_FOUND_MESSAGE = "etcd binary not found (looked at ETCD_BIN, PATH). "
			+ "Install it: apt-get install -y etcd-server etcd-client (Debian), "
			+ "or set ETCD_BIN to an etcd 3.4+ executable.";

	private static final Path FALLBACK = Path.of("/usr/bin/etcd");

	private EtcdBinary() {
	}

	/**
	 * Find the executable from {@code ETCD_BIN}, the {@code etcd.bin} system property,
	 * the {@code PATH} or {@code /usr/bin/etcd}, in that order.
	 * @return the path of the executable
	 * @throws IllegalStateException if none of the places has one
	 */
	static Path locate() {
		return locate(System::getenv, System::getProperty, FALLBACK);
	}

	static Path locate(UnaryOperator<String> environment, UnaryOperator<String> properties, Path fallback) {
		Path configured = configured("ETCD_BIN", environment.apply("ETCD_BIN"));
		if (configured == null) {
			configured = configured("etcd.bin", properties.apply("etcd.bin"));
		}
		if (configured != null) {
			return configured;
		}
		Path onPath = searchPath(environment.apply("PATH"));
		if (onPath != null) {
			return onPath;
		}
		if (Files.isExecutable(fallback)) {
			return fallback;
		}
		throw new IllegalStateException(NOT_FOUND_MESSAGE);
	}

	private static Path configured(String setting, String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		Path path = Path.of(value);
		// Falling back to another etcd would hide a typo and maybe test against the wrong
		// version
		if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
			throw new IllegalStateException(setting + " points to '" + value + "', which is not an executable file");
		}
		return path;
	}

	private static Path searchPath(String path) {
		if (path == null) {
			return null;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				Path candidate = Path.of(directory, "etcd");
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

}
