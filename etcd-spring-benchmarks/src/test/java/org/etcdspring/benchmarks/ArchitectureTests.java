package org.etcdspring.benchmarks;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages of the benchmark point one way: no cycle between any two of them, the root
 * package included (each package its own slice).
 *
 * @author etcd-spring
 */
class ArchitectureTests {

	/**
	 * This module's main classes: the classes directory (or jar) that holds
	 * {@link BenchmarkMain}, without the tests and without the library.
	 */
	static final JavaClasses MODULE = new ClassFileImporter()
		.importUrl(BenchmarkMain.class.getProtectionDomain().getCodeSource().getLocation());

	@Test
	void rulesShouldSeeTheWholeModule() {
		assertThat(MODULE.contain(BenchmarkMain.class)).isTrue();
		// TransportParts sits in the transport's package to price its package-private
		// parts
		assertThat(MODULE.stream().map(JavaClass::getPackageName).distinct()).hasSizeGreaterThanOrEqualTo(4)
			.allMatch((name) -> name.startsWith("org.etcdspring.benchmarks")
					|| name.equals("org.etcdspring.core.transport"));
	}

	@Test
	void packagesShouldBeFreeOfCycles() {
		slices().matching("org.(**)").should().beFreeOfCycles().check(MODULE);
	}

}
