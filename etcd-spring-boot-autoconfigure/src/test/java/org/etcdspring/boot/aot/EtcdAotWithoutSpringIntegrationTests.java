package org.etcdspring.boot.aot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.etcdspring.test.EtcdServerExtension;

import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.core.io.InputStreamSource;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AOT processing of the starter's auto-configuration with Spring Integration really
 * absent: the build runs this class with {@code spring-integration-core} removed from the
 * class path. The generated code must neither name nor need it.
 *
 * @author etcd-spring
 */
@CompileWithForkedClassLoader
class EtcdAotWithoutSpringIntegrationTests {

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void starterWithoutSpringIntegration() {
		assertThat(ClassUtils.isPresent("org.springframework.integration.support.locks.LockRegistry", null)).isFalse();
		AotProcessing.processAndRun((generationContext) -> {
			AotApplicationChecks.generatedHintsCoverTheLibrary(generationContext);
			InMemoryGeneratedFiles generatedFiles = generationContext.getGeneratedFiles();
			assertThat(generatedFiles.getGeneratedFiles(Kind.SOURCE)).as("generated sources").isNotEmpty();
			generatedFiles.getGeneratedFiles(Kind.SOURCE).forEach((path, source) -> {
				assertThat(content(source)).as(path).doesNotContain("org.springframework.integration");
			});
		}, (context) -> {
			AotApplicationChecks.applicationWorksFromGeneratedCode(context);
			assertThat(context.containsBean("etcdLockRegistry")).isFalse();
			assertThat(context.containsBean("aotCandidate")).isFalse();
		}, EtcdAotTests.args("--etcd.peers=" + etcd.endpoint()));
	}

	private static String content(InputStreamSource source) {
		try (InputStream in = source.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
