package org.etcdspring.boot;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import org.etcdspring.boot.autoconfigure.EtcdAutoConfiguration;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages of {@code etcd-spring-boot-autoconfigure} point one way: no cycle between
 * any two of them (each package its own slice, so that a package and its subpackages,
 * such as {@code autoconfigure} and {@code autoconfigure.metrics}, are told apart).
 *
 * @author etcd-spring
 */
class ArchitectureTests {

	/**
	 * This module's main classes: the classes directory (or jar) that holds
	 * {@link EtcdAutoConfiguration}, without the tests and without the library.
	 */
	static final JavaClasses MODULE = new ClassFileImporter()
		.importUrl(EtcdAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation());

	@Test
	void rulesShouldSeeTheWholeModule() {
		assertThat(MODULE.contain(EtcdAutoConfiguration.class)).isTrue();
		assertThat(MODULE.containPackage("org.etcdspring.boot.autoconfigure.metrics")).isTrue();
		assertThat(MODULE.stream().map(JavaClass::getPackageName))
			.allMatch((name) -> name.startsWith("org.etcdspring.boot"));
	}

	@Test
	void packagesShouldBeFreeOfCycles() {
		slices().matching("org.(**)").should().beFreeOfCycles().check(MODULE);
	}

}
