package org.etcdspring.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runtime jar footprints, from the files Maven resolved for the footprint probes
 * ({@code etcd-spring-benchmarks/footprint/*}): each probe's
 * {@code target/runtime-dependencies.txt}, written by {@code dependency:list} with
 * absolute file names. What a library adds to a web application is the jars of the web
 * application with the library that the web application alone does not have (compared by
 * group, artifact and classifier), with Maven's own version mediation.
 *
 * @param webApplication {@code spring-boot-starter-webmvc}
 * @param etcdSpringAdded what {@code etcd-spring-boot-starter} adds to it
 * @param jetcdAdded what {@code jetcd-core} adds to it
 * @param jetcdAlone {@code jetcd-core} resolved on its own, without Spring Boot's
 * dependency management
 * @author etcd-spring
 */
record Footprint(JarSet webApplication, JarSet etcdSpringAdded, JarSet jetcdAdded, JarSet jetcdAlone) {

	private static final String LIST = "target/runtime-dependencies.txt";

	/**
	 * Read the probes' dependency lists.
	 * @param probes the directory that holds the probes
	 * @return the footprints
	 * @throws IllegalStateException when a list is missing: the probes were not resolved
	 */
	static Footprint read(Path probes) {
		JarSet web = JarSet.read("spring-boot-starter-webmvc application", probes.resolve("webmvc").resolve(LIST));
		JarSet withEtcdSpring = JarSet.read("with etcd-spring-boot-starter",
				probes.resolve("webmvc-etcd-spring").resolve(LIST));
		JarSet withJetcd = JarSet.read("with jetcd-core", probes.resolve("webmvc-jetcd").resolve(LIST));
		return new Footprint(web, withEtcdSpring.minus("etcd-spring-boot-starter adds", web),
				withJetcd.minus("jetcd-core adds", web),
				JarSet.read("jetcd-core alone", probes.resolve("jetcd-core").resolve(LIST)));
	}

	/**
	 * Runtime jars.
	 *
	 * @param name what the set is
	 * @param jars the jars by {@code group:artifact[:classifier]}
	 */
	record JarSet(String name, Map<String, Jar> jars) {

		static JarSet read(String name, Path list) {
			if (!Files.isReadable(list)) {
				throw new IllegalStateException(list + " is missing: dev/benchmark resolves the footprint probes");
			}
			Map<String, Jar> jars = new LinkedHashMap<>();
			try {
				for (String line : Files.readAllLines(list)) {
					Jar jar = Jar.parse(line.trim());
					if (jar != null) {
						jars.put(jar.key(), jar);
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return new JarSet(name, jars);
		}

		JarSet minus(String name, JarSet other) {
			Map<String, Jar> remaining = new LinkedHashMap<>(this.jars);
			remaining.keySet().removeAll(other.jars.keySet());
			return new JarSet(name, remaining);
		}

		int count() {
			return this.jars.size();
		}

		long bytes() {
			return this.jars.values().stream().mapToLong(Jar::bytes).sum();
		}

		List<String> files() {
			return this.jars.values().stream().map((jar) -> jar.file().getFileName().toString()).sorted().toList();
		}

	}

	/**
	 * One resolved jar.
	 *
	 * @param key {@code group:artifact[:classifier]}
	 * @param file the file in the local repository (or a reactor module's target)
	 * @param bytes its size
	 */
	record Jar(String key, Path file, long bytes) {

		/**
		 * Parse a line of {@code dependency:list}, such as
		 * {@code group:artifact:jar[:classifier]:version:scope:/path/a.jar -- module a}.
		 * @param line the line
		 * @return the jar, {@code null} for a line that names none
		 */
		static Jar parse(String line) {
			int path = line.indexOf(":/");
			if (path < 0) {
				return null;
			}
			int end = line.indexOf(" -- ", path);
			Path file = Path.of(line.substring(path + 1, (end >= 0) ? end : line.length()));
			if (!file.toString().endsWith(".jar")) {
				return null;
			}
			String[] coordinates = line.substring(0, path).split(":");
			String key = coordinates[0] + ":" + coordinates[1]
					+ ((coordinates.length == 6) ? ":" + coordinates[3] : "");
			try {
				return new Jar(key, file, Files.size(file));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
