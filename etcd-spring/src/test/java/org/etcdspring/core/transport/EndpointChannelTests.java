package org.etcdspring.core.transport;

import java.net.URI;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.etcdspring.core.EtcdException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The channel rules of the transport's endpoints, checked before any request: configured
 * endpoints share one scheme and carry no user info; endpoints learned at run time keep
 * the configured scheme and, with credentials, are never plain http unless allowed.
 */
class EndpointChannelTests {

	private final Logger logger = (Logger) LoggerFactory.getLogger(EtcdTransport.class);

	private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

	@BeforeEach
	void captureWarnings() {
		this.warnings.start();
		this.logger.addAppender(this.warnings);
	}

	@AfterEach
	void stopCapturing() {
		this.logger.detachAppender(this.warnings);
	}

	private List<String> warnings() {
		return this.warnings.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	private static final URI HTTPS_A = URI.create("https://10.0.0.1:2379");

	private static final URI HTTPS_B = URI.create("https://10.0.0.2:2379");

	private static final URI HTTP_A = URI.create("http://10.0.0.1:2379");

	private static final URI HTTP_B = URI.create("http://10.0.0.2:2379");

	@Test
	void configuredEndpointsMixingSchemesShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdTransport.builder(List.of(HTTPS_A, HTTP_B)))
			.withMessageContaining("mix http and https")
			.withMessageContaining("use one scheme");
	}

	@Test
	void configuredEndpointWithUserInfoShouldBeRejectedWithoutShowingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EtcdTransport.builder(List.of(URI.create("https://root:rootpw@10.0.0.1:2379"))))
			.withMessageContaining("https://10.0.0.1:2379")
			.withMessageContaining("must not carry user info")
			.withMessageNotContaining("rootpw");
	}

	@Test
	void learnedEndpointsOfAnotherSchemeShouldBeDroppedWithOneWarning() {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(HTTPS_A)).build()) {
			for (int i = 0; i < 3; i++) {
				assertThat(transport.usableEndpoints(List.of(HTTPS_A, HTTPS_B, HTTP_B))).containsExactly(HTTPS_A,
						HTTPS_B);
			}
			transport.updateEndpoints(List.of(HTTPS_B, HTTP_A));
			assertThat(transport.endpoints()).containsExactly(HTTPS_B);
		}
		assertThat(warnings()).hasSize(2)
			.allMatch((warning) -> warning.contains("must use the configured scheme (https)"));
		assertThat(warnings().get(0)).contains("[http://10.0.0.2:2379] are not used");
		assertThat(warnings().get(1)).contains("[http://10.0.0.1:2379] are not used");
	}

	@Test
	void learnedPlainHttpEndpointsShouldNotGetCredentialsUnlessAllowed() {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(HTTP_A)).credentials("root", "pw").build()) {
			// The configured endpoint stays usable: the user chose it
			assertThat(transport.usableEndpoints(List.of(HTTP_A, HTTP_B))).containsExactly(HTTP_A);
		}
		try (EtcdTransport transport = EtcdTransport.builder(List.of(HTTP_A))
			.credentials("root", "pw")
			.allowPlaintextCredentials(true)
			.build()) {
			assertThat(transport.usableEndpoints(List.of(HTTP_A, HTTP_B))).containsExactly(HTTP_A, HTTP_B);
		}
		try (EtcdTransport transport = EtcdTransport.builder(List.of(HTTP_A)).build()) {
			assertThat(transport.usableEndpoints(List.of(HTTP_A, HTTP_B))).containsExactly(HTTP_A, HTTP_B);
		}
	}

	@Test
	void credentialsOverConfiguredPlainHttpShouldBeWarnedAboutOnce() {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(HTTP_A, HTTP_B))
			.credentials("root", "pw")
			.build()) {
			assertThat(transport.endpoints()).containsExactly(HTTP_A, HTTP_B);
		}
		assertThat(warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("user 'root' go over plain http")
				.contains("[http://10.0.0.1:2379, http://10.0.0.2:2379]")
				.doesNotContain("pw"));
	}

	@Test
	void learnedUserInfoShouldBeDropped() {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(HTTPS_A)).build()) {
			assertThat(transport.usableEndpoints(List.of(URI.create("https://u:secret@10.0.0.2:2379"))))
				.containsExactly(HTTPS_B);
		}
	}

	@Test
	void noUsableLearnedEndpointShouldFailAndKeepTheEndpoints() {
		try (EtcdTransport transport = EtcdTransport.builder(List.of(HTTPS_A)).build()) {
			assertThatExceptionOfType(EtcdException.class).isThrownBy(() -> transport.updateEndpoints(List.of(HTTP_B)))
				.withMessageContaining("none of the etcd endpoints [http://10.0.0.2:2379] may be used");
			assertThat(transport.endpoints()).containsExactly(HTTPS_A);
		}
	}

}
