package org.etcdspring.core;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Namespace} key math.
 */
class NamespaceTests {

	@Test
	void rangeEndShouldIncrementTheLastByte() {
		assertThat(Namespace.rangeEndOf("abc".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("abd".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void rangeEndShouldDropTrailingMaximalBytes() {
		assertThat(Namespace.rangeEndOf(new byte[] { 'a', (byte) 0xff, (byte) 0xff })).isEqualTo(new byte[] { 'b' });
	}

	@Test
	void rangeEndOfAllMaximalBytesShouldMeanEveryKey() {
		assertThat(Namespace.rangeEndOf(new byte[] { (byte) 0xff })).isEqualTo(new byte[] { 0 });
	}

	@Test
	void encodeAndDecodeShouldApplyAndStripThePrefix() {
		Namespace namespace = Namespace.of("/app/");
		assertThat(namespace.encode("k")).isEqualTo("/app/k".getBytes(StandardCharsets.UTF_8));
		assertThat(namespace.decode("/app/k".getBytes(StandardCharsets.UTF_8))).isEqualTo("k");
		assertThat(namespace.rangeEnd("p/")).isEqualTo("/app/p0".getBytes(StandardCharsets.UTF_8));
		assertThat(Namespace.of("")).isSameAs(Namespace.NONE);
		assertThat(Namespace.NONE.encode("k")).isEqualTo(new byte[] { 'k' });
	}

}
