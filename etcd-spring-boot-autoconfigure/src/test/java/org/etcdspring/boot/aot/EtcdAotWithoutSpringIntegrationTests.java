package org.etcdspring.boot.aot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.etcdspring.test.EtcdServerExtension;

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
			assertThat(generationContext.getGeneratedFiles()).isNotNull();
		}, (context) -> {
			AotApplicationChecks.applicationWorksFromGeneratedCode(context);
			assertThat(context.containsBean("etcdLockRegistry")).isFalse();
			assertThat(context.containsBean("aotCandidate")).isFalse();
		}, EtcdAotTests.args("--etcd.peers=" + etcd.endpoint()));
	}

}
