package org.etcdspring.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.etcdspring.sample.LocalEtcdConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quick start is this package's {@link Inventory}: it runs here against a
 * real etcd, and the README must show exactly its code, so the two cannot drift apart.
 */
@SpringBootTest(classes = { Inventory.class, ReadmeQuickStartTests.QuickStartApplication.class })
@Import(LocalEtcdConfiguration.class)
@DirtiesContext
class ReadmeQuickStartTests {

	@Autowired
	Inventory inventory;

	@Test
	void quickStartShouldWork() {
		this.inventory.restock("apple", 2);
		assertThat(this.inventory.stock("apple")).isEqualTo(2);
		assertThat(this.inventory.take("apple")).isTrue();
		assertThat(this.inventory.take("apple")).isTrue();
		assertThat(this.inventory.take("apple")).isFalse();
		assertThat(this.inventory.stock("apple")).isZero();
		assertThat(this.inventory.stock("pear")).isNull();
	}

	@Test
	void readmeShouldShowTheQuickStartVerbatim() throws IOException {
		String source = Files.readString(Path.of("src/test/java/org/etcdspring/quickstart/Inventory.java"));
		String code = source
			.substring(source.indexOf("// tag::quickstart[]") + "// tag::quickstart[]".length(),
					source.indexOf("// end::quickstart[]"))
			.strip();
		String readme = Files.readString(Path.of("../README.md"));
		assertThat(readme).as("README.md shows the quick start of %s", Inventory.class.getName()).contains(code);
	}

	@EnableAutoConfiguration
	static class QuickStartApplication {

	}

}
