package org.etcdspring.boot.testcontainers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.RemoteDockerImage;
import org.testcontainers.utility.DockerImageName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link EtcdContainer} on its own: both official image names, every etcd version the
 * machine has an image of, and the checks made before any container starts.
 */
class EtcdContainerTests {

	static Stream<DockerImageName> images() {
		return EtcdTestImages.versions()
			.stream()
			.flatMap((version) -> Stream.of(EtcdTestImages.gcr(version), EtcdTestImages.quay(version)));
	}

	@ParameterizedTest
	@MethodSource("images")
	void containerShouldRunTheChosenImageAndExposeItsClientPort(DockerImageName image) throws Exception {
		try (EtcdContainer etcd = new EtcdContainer(image)) {
			etcd.start();
			assertThat(etcd.getDockerImageName()).isEqualTo(image.asCanonicalNameString());
			assertThat(etcd.getEndpoint()).isEqualTo("http://" + etcd.getHost() + ":" + etcd.getClientPort());
			assertThat(get(etcd, "/health")).contains("\"health\":\"true\"");
			String version = image.getVersionPart().replaceFirst("^v", "");
			assertThat(get(etcd, "/version")).contains("\"etcdserver\":\"" + version + "\"");
		}
	}

	@Test
	void imageOlderThan34ShouldBeRejectedBeforeAnythingStarts() {
		assertThatIllegalArgumentException().isThrownBy(() -> new EtcdContainer("gcr.io/etcd-development/etcd:v3.3.27"))
			.withMessage(
					"Image 'gcr.io/etcd-development/etcd:v3.3.27' has etcd 3.3: EtcdContainer needs etcd 3.4 or later");
	}

	@Test
	void imageOfAnotherServerShouldBeRejected() {
		assertThatIllegalStateException().isThrownBy(() -> new EtcdContainer("redis:7"))
			.withMessageContaining("redis:7");
	}

	@Test
	void compatibleSubstituteShouldRun() throws Exception {
		String version = EtcdTestImages.oldest();
		String official = new RemoteDockerImage(EtcdTestImages.gcr(version)).get();
		DockerImageName mirror = DockerImageName.parse("localhost/mirror/etcd:" + version)
			.asCompatibleSubstituteFor("gcr.io/etcd-development/etcd");
		DockerClient docker = DockerClientFactory.instance().client();
		docker.tagImageCmd(official, mirror.getUnversionedPart(), version).exec();
		try (EtcdContainer etcd = new EtcdContainer(mirror)) {
			etcd.start();
			assertThat(etcd.getDockerImageName()).isEqualTo(mirror.asCanonicalNameString());
			assertThat(get(etcd, "/health")).contains("\"health\":\"true\"");
		}
		finally {
			docker.removeImageCmd(mirror.asCanonicalNameString()).exec();
		}
	}

	@Test
	void emptyRootPasswordShouldBeRejected() {
		try (EtcdContainer etcd = new EtcdContainer()) {
			assertThatIllegalArgumentException().isThrownBy(() -> etcd.withRootPassword(""))
				.withMessage("'password' must not be empty");
		}
	}

	@Test
	void missingTlsFileShouldBeRejectedNamingIt() {
		try (EtcdContainer etcd = new EtcdContainer()) {
			Path missing = Path.of("/nonexistent/server.crt");
			assertThatIllegalArgumentException().isThrownBy(() -> etcd.withTls(missing, missing, missing))
				.withMessage("'certFile' /nonexistent/server.crt is not a readable file");
		}
	}

	private static String get(EtcdContainer etcd, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(etcd.getEndpoint() + path))
			.timeout(Duration.ofSeconds(30))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

}
