package org.etcdspring.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PrintableKey}.
 */
class PrintableKeyTests {

	@Test
	void plainKeysShouldBePrintedAsTheyAre() {
		assertThat(PrintableKey.of("/app/config/server.port")).isEqualTo("/app/config/server.port");
		assertThat(PrintableKey.of("clé-\uD83D\uDE00")).isEqualTo("clé-\uD83D\uDE00");
	}

	@Test
	void controlCharactersAndBackslashesShouldBeEscaped() {
		assertThat(PrintableKey.of("a\nb\rc\td\\e\u0000f\u001b[31mg\u2028h"))
			.isEqualTo("a\\nb\\rc\\td\\\\e\\u0000f\\u001b[31mg\\u2028h");
	}

	@Test
	void unpairedSurrogatesShouldBeEscaped() {
		assertThat(PrintableKey.of("a\uD800b\uDC00")).isEqualTo("a\\ud800b\\udc00");
	}

	@Test
	void longKeysShouldBeCutAndTheirLengthGiven() {
		String key = "k".repeat(2 * 1024 * 1024);
		String printed = PrintableKey.of(key);
		assertThat(printed).isEqualTo("k".repeat(PrintableKey.MAX_LENGTH) + "... (2097152 chars)");
	}

	@Test
	void aCutShouldNotSplitASurrogatePair() {
		String key = "k".repeat(PrintableKey.MAX_LENGTH - 1) + "\uD83D\uDE00" + "tail";
		assertThat(PrintableKey.of(key)).isEqualTo("k".repeat(PrintableKey.MAX_LENGTH - 1) + "... (261 chars)");
	}

	@Test
	void nullShouldBePrintedAsNull() {
		assertThat(PrintableKey.of(null)).isEqualTo("null");
	}

}
