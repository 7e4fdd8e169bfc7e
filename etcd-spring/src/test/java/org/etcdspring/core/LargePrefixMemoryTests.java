package org.etcdspring.core;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.support.EtcdAdmin;
import org.etcdspring.test.EtcdServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A prefix far larger than the heap (300 values of 1 MB, read by a child JVM limited to
 * 256 MB) is read page by page, or refused with the documented error; it never ends in an
 * {@link OutOfMemoryError}. So is a prefix whose first few hundred values are tiny and
 * whose later ones are large: the small values seen first must not let a page grow past
 * what the heap holds. The test has an etcd of its own, deletes what it wrote and
 * compacts it away.
 */
class LargePrefixMemoryTests {

	private static final String PREFIX = "large/";

	private static final int VALUES = 300;

	private static final int VALUE_SIZE = 1024 * 1024;

	private static final String MIXED_PREFIX = "mixed/";

	private static final int TINY_VALUES = 400;

	private static final int LARGE_VALUES = 200;

	private static final int LARGE_VALUE_SIZE = 1_400_000;

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	private static EtcdTransport transport;

	private static EtcdTemplate template;

	@BeforeAll
	static void writeLargePrefixes() {
		transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
		template = new EtcdTemplate(transport);
		byte[] value = new byte[VALUE_SIZE];
		for (int i = 0; i < VALUES; i++) {
			value[0] = (byte) i;
			template.put(PREFIX + String.format("%03d", i), value);
		}
		// Tiny values first (in key order), then 280 MB of large ones.
		for (int i = 0; i < TINY_VALUES; i++) {
			template.put(MIXED_PREFIX + "a" + String.format("%03d", i), "tiny");
		}
		byte[] large = new byte[LARGE_VALUE_SIZE];
		for (int i = 0; i < LARGE_VALUES; i++) {
			large[0] = (byte) i;
			template.put(MIXED_PREFIX + "b" + String.format("%03d", i), large);
		}
	}

	@AfterAll
	static void deleteAndCompact() {
		try {
			assertThat(template.deletePrefix(PREFIX)).isEqualTo(VALUES);
			assertThat(template.deletePrefix(MIXED_PREFIX)).isEqualTo(TINY_VALUES + LARGE_VALUES);
			EtcdAdmin.compact(etcd.endpoint(), template.txn().commit().revision());
		}
		finally {
			template.close();
			transport.close();
		}
	}

	@Test
	void readingPageByPageShouldCompleteWithinTheHeap() throws Exception {
		assertThat(readInChildJvm(PREFIX, "each"))
			.isEqualTo("read " + VALUES + " keys, " + ((long) VALUES * VALUE_SIZE) + " bytes");
	}

	@Test
	void readingIntoMemoryShouldFailWithTheDocumentedError() throws Exception {
		assertThat(readInChildJvm(PREFIX, "list"))
			.startsWith("too large: etcd prefix '" + PREFIX + "' holds more than "
					+ EtcdTemplate.DEFAULT_MAX_PREFIX_BYTES + " bytes")
			.contains("etcd.max-prefix-size");
	}

	@Test
	void largeValuesAfterTinyOnesShouldBeReadPageByPageWithinTheHeap() throws Exception {
		assertThat(readInChildJvm(MIXED_PREFIX, "each")).isEqualTo("read " + (TINY_VALUES + LARGE_VALUES) + " keys, "
				+ (TINY_VALUES * 4L + (long) LARGE_VALUES * LARGE_VALUE_SIZE) + " bytes");
	}

	@Test
	void largeValuesAfterTinyOnesShouldFailWithTheDocumentedErrorWhenReadIntoMemory() throws Exception {
		assertThat(readInChildJvm(MIXED_PREFIX, "list"))
			.startsWith("too large: etcd prefix '" + MIXED_PREFIX + "' holds more than "
					+ EtcdTemplate.DEFAULT_MAX_PREFIX_BYTES + " bytes")
			.contains("etcd.max-prefix-size");
	}

	private static String readInChildJvm(String prefix, String mode) throws IOException, InterruptedException {
		Path output = Files.createTempFile("large-prefix-", ".log");
		try {
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp",
					System.getProperty("java.class.path"), LargePrefixReader.class.getName(), etcd.endpoint(), prefix,
					mode)
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!child.waitFor(5, TimeUnit.MINUTES)) {
				child.destroyForcibly().waitFor();
				fail("The child JVM reading " + prefix + " (" + mode + ") did not finish within 5 minutes");
			}
			List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
			assertThat(lines).as("output of the child JVM").noneMatch((line) -> line.contains("OutOfMemoryError"));
			assertThat(child.exitValue()).as("exit code of the child JVM; output:%n%s", tail(lines)).isZero();
			return lines.stream()
				.filter((line) -> line.startsWith(LargePrefixReader.RESULT))
				.map((line) -> line.substring(LargePrefixReader.RESULT.length()))
				.findFirst()
				.orElseThrow(() -> new AssertionError("No result from the child JVM; output:\n" + tail(lines)));
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static String tail(List<String> lines) {
		return String.join(File.separator.equals("/") ? "\n" : "\r\n",
				lines.subList(Math.max(0, lines.size() - 40), lines.size()));
	}

}
