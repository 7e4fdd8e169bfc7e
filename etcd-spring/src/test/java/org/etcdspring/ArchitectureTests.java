package org.etcdspring;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import org.etcdspring.core.EtcdValueConverter;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of {@code etcd-spring}: its packages form layers that point one way (the
 * table in the README's Modules section), only {@code core.transport} knows HTTP and
 * JSON, and nothing imports Spring Boot.
 *
 * @author etcd-spring
 */
class ArchitectureTests {

	/**
	 * The library's main classes: the classes directory (or jar) that holds
	 * {@link EtcdTemplate}, without the tests and without other modules of the project
	 * that share the package names.
	 */
	static final JavaClasses LIBRARY = new ClassFileImporter()
		.importUrl(EtcdTemplate.class.getProtectionDomain().getCodeSource().getLocation());

	/**
	 * The packages that may use HTTP and JSON types.
	 */
	private static final String[] HTTP_AND_JSON = { "java.net.http..", "org.springframework.http..",
			"org.springframework.web..", "tools.jackson..", "com.fasterxml.jackson.." };

	@Test
	void rulesShouldSeeTheWholeLibrary() {
		assertThat(LIBRARY.containPackage("org.etcdspring.core.transport")).isTrue();
		assertThat(LIBRARY.contain(EtcdTemplate.class)).isTrue();
		assertThat(LIBRARY.stream().map(JavaClass::getPackageName).distinct()).hasSizeGreaterThanOrEqualTo(14);
	}

	/**
	 * Each package is a slice of its own: {@code (**)} keeps {@code core} and
	 * {@code core.transport} apart and takes the root package in (as {@code etcdspring}).
	 */
	@Test
	void packagesShouldBeFreeOfCycles() {
		slices().matching("org.(**)").should().beFreeOfCycles().check(LIBRARY);
	}

	/**
	 * The package table of the README's Modules section: each package may use only the
	 * layers listed for it there.
	 */
	@Test
	void layersShouldPointOneWay() {
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("core")
			.definedBy("org.etcdspring.core")
			.layer("aop")
			.definedBy("org.etcdspring.aop")
			.layer("transport")
			.definedBy("org.etcdspring.core.transport")
			.layer("lease")
			.definedBy("org.etcdspring.lease")
			.layer("watch")
			.definedBy("org.etcdspring.watch")
			.layer("cluster")
			.definedBy("org.etcdspring.cluster")
			.layer("directory")
			.definedBy("org.etcdspring.directory")
			.layer("lock")
			.definedBy("org.etcdspring.lock")
			.layer("leader")
			.definedBy("org.etcdspring.leader")
			.layer("cache")
			.definedBy("org.etcdspring.cache")
			.layer("stm")
			.definedBy("org.etcdspring.stm")
			.layer("top")
			.definedBy("org.etcdspring")
			.layer("extras")
			.definedBy("org.etcdspring.integration", "org.etcdspring.aot", "org.etcdspring.observation")
			.whereLayer("extras")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("top")
			.mayOnlyBeAccessedByLayers("extras")
			.whereLayer("directory")
			.mayOnlyBeAccessedByLayers("top", "extras")
			.whereLayer("lock")
			.mayOnlyBeAccessedByLayers("top", "extras")
			.whereLayer("leader")
			.mayOnlyBeAccessedByLayers("top", "extras")
			.whereLayer("cache")
			.mayOnlyBeAccessedByLayers("top", "extras")
			.whereLayer("stm")
			.mayOnlyBeAccessedByLayers("top", "extras")
			.whereLayer("cluster")
			.mayOnlyBeAccessedByLayers("top", "extras")
			.whereLayer("lease")
			.mayOnlyBeAccessedByLayers("directory", "lock", "leader", "top", "extras")
			.whereLayer("watch")
			.mayOnlyBeAccessedByLayers("lock", "leader", "cache", "top", "extras")
			.whereLayer("transport")
			.mayOnlyBeAccessedByLayers("lease", "watch", "cluster", "top", "extras")
			.whereLayer("aop")
			.mayOnlyBeAccessedByLayers("lock", "leader", "top", "extras")
			.check(LIBRARY);
	}

	@Test
	void coreShouldDependOnNoOtherPackageOfTheLibrary() {
		noClasses().that()
			.resideInAPackage("org.etcdspring.core")
			.should()
			.dependOnClassesThat(resideInAPackage("org.etcdspring..")
				.and(DescribedPredicate.not(resideInAPackage("org.etcdspring.core"))))
			.check(LIBRARY);
	}

	@Test
	void onlyTheTransportShouldKnowHttpAndJson() {
		noClasses().that()
			.resideOutsideOfPackage("org.etcdspring.core.transport..")
			// Values that are neither text nor bytes are stored as JSON written by the
			// user's JsonMapper: a feature of the value model, not of the wire protocol.
			.and()
			.doNotBelongToAnyOf(EtcdValueConverter.class)
			.should()
			.dependOnClassesThat(resideInAnyPackage(HTTP_AND_JSON))
			.check(LIBRARY);
	}

	@Test
	void libraryShouldNotDependOnSpringBoot() {
		noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework.boot..").check(LIBRARY);
	}

}
