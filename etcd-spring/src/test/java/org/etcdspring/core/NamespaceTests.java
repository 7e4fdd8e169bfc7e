package org.etcdspring.core;

import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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

	@Test
	void aNamespaceWithoutTrailingSeparatorShouldGetOneWithAWarning() {
		Logger logger = (Logger) LoggerFactory.getLogger(Namespace.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		Namespace namespace;
		try {
			namespace = Namespace.of("/ns");
			assertThat(Namespace.of("/other/").prefix()).isEqualTo("/other/");
		}
		finally {
			logger.detachAppender(appender);
		}
		assertThat(appender.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).contains("'/ns'").contains("'/ns/'").contains("'/ns0'");
		});
		assertThat(namespace.prefix()).isEqualTo("/ns/");
		assertThat(namespace.rangeEnd("a")).isEqualTo("/ns/b".getBytes(StandardCharsets.UTF_8));
		assertThat(namespace.contains("/ns0".getBytes(StandardCharsets.UTF_8))).isFalse();
		assertThat(namespace.contains("/ns/x".getBytes(StandardCharsets.UTF_8))).isTrue();
	}

	@Test
	void unpairedSurrogatesShouldBeRejected() {
		Namespace namespace = Namespace.of("/app/");
		assertThatIllegalArgumentException().isThrownBy(() -> namespace.encode("a\uD800"))
			.withMessageContaining("unpaired surrogate at index 1")
			.withMessageContaining("'a\\ud800'");
		assertThatIllegalArgumentException().isThrownBy(() -> namespace.encode("\uDC00b"))
			.withMessageContaining("index 0");
		assertThatIllegalArgumentException().isThrownBy(() -> namespace.rangeEnd("p\uDBFF"));
		assertThatIllegalArgumentException().isThrownBy(() -> Namespace.of("/ns\uD800/"))
			.withMessageContaining("etcd namespace");
		assertThat(namespace.encode("\uD83D\uDE00")).isEqualTo("/app/\uD83D\uDE00".getBytes(StandardCharsets.UTF_8));
	}

}
