package org.etcdspring.boot.testcontainers;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails, never skips: a container test class run where no container engine can be reached
 * ends failed with Testcontainers' own error, and none of it is skipped or aborted.
 * <p>
 * It runs through JUnit's {@link EngineTestKit} in a child JVM, as Testcontainers settles
 * on an engine once per JVM and this JVM's tests use the real one. The child cannot reach
 * any engine: {@code DOCKER_HOST} names a socket that does not exist, its
 * {@code user.home} is an empty directory (no {@code ~/.testcontainers.properties}, no
 * Docker Desktop or rootless Docker socket there), its environment has no
 * {@code TESTCONTAINERS_*} variable, and Testcontainers' list of further places to look
 * ({@code /var/run/docker.sock} and the like, found on a developer's machine) is hidden
 * from it, so only {@code DOCKER_HOST} counts.
 */
class EtcdContainerWithoutEngineTests {

	private static final String RESULT = "result ";

	@Test
	void containerTestShouldFailNotSkipWithoutAnEngine(@TempDir Path home) throws Exception {
		Path output = home.resolve("child.log");
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:+UseSerialGC", "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"),
				WithoutEngine.class.getName(), EtcdContainerServiceConnectionTests.class.getName())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		Map<String, String> environment = builder.environment();
		environment.keySet().removeIf((name) -> name.startsWith("TESTCONTAINERS_") || name.equals("XDG_RUNTIME_DIR"));
		environment.put("DOCKER_HOST", "unix://" + home.resolve("no-engine.sock"));
		Process child = builder.start();
		try {
			assertThat(child.waitFor(3, TimeUnit.MINUTES)).as("the child JVM ended within 3 minutes").isTrue();
		}
		finally {
			child.destroyForcibly();
		}
		List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
		List<String> results = lines.stream()
			.filter((line) -> line.startsWith(RESULT))
			.map((line) -> line.substring(RESULT.length()))
			.toList();
		assertThat(results).as("the child's results; it printed:%n%s", String.join("\n", lines))
			.containsExactly(
					"class EtcdContainerServiceConnectionTests FAILED caused by java.lang.IllegalStateException: "
							+ "Could not find a valid Docker environment. Please see logs and check configuration",
					"skipped 0", "aborted 0");
		assertThat(child.exitValue()).isZero();
	}

	/**
	 * Runs a test class through the JUnit Jupiter engine and prints how its class
	 * container finished and how many of its tests and containers were skipped or
	 * aborted.
	 */
	static final class WithoutEngine {

		private static final String STRATEGIES = "META-INF/services/org.testcontainers.dockerclient.DockerClientProviderStrategy";

		private WithoutEngine() {
		}

		public static void main(String[] args) throws ClassNotFoundException {
			Class<?> testClass = Class.forName(args[0]);
			ClassLoader application = Thread.currentThread().getContextClassLoader();
			// Testcontainers finds its discovery strategies with the context class loader
			Thread.currentThread().setContextClassLoader(new ClassLoader(application) {

				@Override
				public Enumeration<URL> getResources(String name) throws IOException {
					return name.equals(STRATEGIES) ? Collections.emptyEnumeration() : super.getResources(name);
				}

			});
			EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
				.selectors(DiscoverySelectors.selectClass(testClass))
				.execute();
			results.containerEvents()
				.finished()
				.stream()
				.filter((event) -> event.getTestDescriptor().getDisplayName().equals(testClass.getSimpleName()))
				.forEach((event) -> System.out
					.println(RESULT + "class " + testClass.getSimpleName() + " " + outcome(event)));
			System.out.println(RESULT + "skipped " + results.allEvents().skipped().count());
			System.out.println(RESULT + "aborted " + results.allEvents().aborted().count());
		}

		private static String outcome(Event event) {
			TestExecutionResult result = event.getRequiredPayload(TestExecutionResult.class);
			return result.getStatus() + result.getThrowable()
				.map((failure) -> " caused by " + NestedExceptionUtils.getMostSpecificCause(failure))
				.orElse("");
		}

	}

}
