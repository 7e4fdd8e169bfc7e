package org.etcdspring.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two complete test classes of the README's "Testing your application" are
 * {@link OrderServiceContainerTests} and {@link OrderServiceLocalEtcdTests}, which run
 * with this module's tests: the README must show each exactly, from its first import to
 * its end (its package line left out), so the two cannot drift apart.
 */
class ReadmeTestClassesTests {

	@ParameterizedTest
	@ValueSource(classes = { OrderServiceContainerTests.class, OrderServiceLocalEtcdTests.class })
	void readmeShouldShowTheTestClassVerbatim(Class<?> testClass) throws IOException {
		String source = Files.readString(Path.of("src/test/java", testClass.getName().replace('.', '/') + ".java"));
		String code = source.substring(source.indexOf("\nimport ") + 1).strip();
		String readme = Files.readString(Path.of("../README.md"));
		assertThat(readme).as("README.md shows %s", testClass.getName()).contains("```java\n" + code + "\n```");
	}

}
