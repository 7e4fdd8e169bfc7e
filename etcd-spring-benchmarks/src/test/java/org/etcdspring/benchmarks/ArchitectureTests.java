package org.etcdspring.benchmarks;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
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

	static final SliceAssignment EACH_PACKAGE = new SliceAssignment() {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			String packageName = javaClass.getPackageName();
			return (packageName.equals("org.etcdspring") || packageName.startsWith("org.etcdspring."))
					? SliceIdentifier.of(packageName) : SliceIdentifier.ignore();
		}

		@Override
		public String getDescription() {
			return "each package of org.etcdspring";
		}

	};

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
		slices().assignedFrom(EACH_PACKAGE).should().beFreeOfCycles().check(MODULE);
	}

}
