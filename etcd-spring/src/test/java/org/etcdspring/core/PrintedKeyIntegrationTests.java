package org.etcdspring.core;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.observation.ObservationEtcdRequestObserver;
import org.etcdspring.support.SharedEtcdTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Keys reach logs, exception messages and span tags escaped and cut, against a real etcd
 * process.
 */
class PrintedKeyIntegrationTests extends SharedEtcdTemplate {

	private static final String FORGED_LINE = "12:00:00.000 INFO  [main] o.e.Admin - password of root reset to x";

	private final Logger transportLogger = (Logger) LoggerFactory.getLogger("org.etcdspring.core.transport");

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private Level previousLevel;

	@BeforeEach
	void captureTransportLog() {
		this.previousLevel = this.transportLogger.getLevel();
		this.transportLogger.setLevel(Level.DEBUG);
		this.appender.start();
		this.transportLogger.addAppender(this.appender);
	}

	@AfterEach
	void stopCapturing() {
		this.transportLogger.detachAppender(this.appender);
		this.transportLogger.setLevel(this.previousLevel);
	}

	@Test
	void aKeyWithANewlineShouldNotForgeALogLine() {
		String key = "printed/forged\n" + FORGED_LINE;
		template.put(key, "v");
		assertThat(template.get(key)).isEqualTo("v");
		template.delete(key);
		String log = render(this.appender.list);
		assertThat(this.appender.list).isNotEmpty();
		// One line per event: the key's newline did not start a line of its own.
		assertThat(log.split("\n")).hasSize(this.appender.list.size());
		assertThat(log.lines()).noneMatch((line) -> line.startsWith(FORGED_LINE));
		assertThat(log).contains("key='printed/forged\\n" + FORGED_LINE + "'");
	}

	@Test
	void aHugeKeyShouldNotMakeAHugeMessage() {
		String key = "printed/huge/" + "k".repeat(2 * 1024 * 1024);
		assertThatExceptionOfType(EtcdRequestTooLargeException.class).isThrownBy(() -> template.put(key, "v"))
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(1024)
				.contains("printed/huge/kkk")
				.contains("... (" + key.length() + " chars)"));
		assertThat(this.appender.list).isNotEmpty()
			.allSatisfy((event) -> assertThat(event.getFormattedMessage()).hasSizeLessThan(1024));
	}

	@Test
	void aKeyReadFromTheServerShouldPrintOnOneLineAndCut() {
		String key = "printed/read\n" + FORGED_LINE + "r".repeat(300);
		template.put(key, "v");
		KeyValue read = template.getEntry(key);
		template.delete(key);
		assertThat(read.key()).isEqualTo(key);
		assertThat(read.toString()).doesNotContain("\n")
			.contains("key=printed/read\\n" + FORGED_LINE)
			.contains("... (" + key.length() + " chars)")
			.hasSizeLessThan(PrintableKey.MAX_LENGTH + 200);
		assertThat(Compare.value(key).isEqualTo("the value").toString()).doesNotContain("\n")
			.doesNotContain("the value")
			.contains("... (" + key.length() + " chars)");
	}

	@Test
	void spanTagsShouldCarryThePrintableKey() {
		Map<String, String> tags = new ConcurrentHashMap<>();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				context.getHighCardinalityKeyValues().forEach((tag) -> tags.put(tag.getKey(), tag.getValue()));
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
		try (EtcdTransport observed = EtcdTransport.builder(List.of(URI.create(etcd.endpoint())))
			.requestObserver(new ObservationEtcdRequestObserver(registry))
			.build()) {
			EtcdTemplate observedTemplate = new EtcdTemplate(observed);
			String key = "printed/span\r\n" + "s".repeat(1000);
			assertThat(observedTemplate.get(key)).isNull();
			assertThat(tags.get("etcd.key")).isEqualTo(PrintableKey.of(key))
				.startsWith("printed/span\\r\\nsss")
				.endsWith("... (1014 chars)");
			observedTemplate.close();
		}
	}

	private static String render(List<ILoggingEvent> events) {
		PatternLayout layout = new PatternLayout();
		layout.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
		layout.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
		layout.start();
		StringBuilder text = new StringBuilder();
		events.forEach((event) -> text.append(layout.doLayout(event)));
		return text.toString();
	}

}
