package org.etcdspring.boot.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.HttpWaitStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * A single-member etcd server in a container of etcd's official image, for tests.
 * Annotate a field with {@code @ServiceConnection} and the application connects to it.
 *
 * <pre class="code">
 * &#64;Container
 * &#64;ServiceConnection
 * static EtcdContainer etcd = new EtcdContainer("quay.io/coreos/etcd:v3.5.17").withRootPassword("s3cret");
 * </pre>
 *
 * The image is {@code gcr.io/etcd-development/etcd} or {@code quay.io/coreos/etcd} (or
 * one declared a compatible substitute with
 * {@link DockerImageName#asCompatibleSubstituteFor}), etcd 3.4 or later. The container
 * counts as started once etcd's own {@code /health} endpoint reports
 * {@code "health":"true"}.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdContainer extends GenericContainer<EtcdContainer> {

	/**
	 * etcd's official image on gcr.io, without a tag.
	 */
	public static final DockerImageName GCR_IMAGE = DockerImageName.parse("gcr.io/etcd-development/etcd");

	/**
	 * etcd's official image on quay.io, without a tag.
	 */
	public static final DockerImageName QUAY_IMAGE = DockerImageName.parse("quay.io/coreos/etcd");

	/**
	 * The image used by default.
	 */
	public static final DockerImageName DEFAULT_IMAGE = GCR_IMAGE.withTag("v3.5.17");

	/**
	 * The client port inside the container.
	 */
	public static final int CLIENT_PORT = 2379;

	/**
	 * The user that {@link #withRootPassword(String)} creates.
	 */
	public static final String ROOT_USER = "root";

	private static final Pattern VERSION_TAG = Pattern.compile("v?(\\d+)\\.(\\d+)(\\..*)?");

	private static final Duration AUTH_CALL_TIMEOUT = Duration.ofSeconds(30);

	private static final String TLS_DIRECTORY = "/etc/etcd/tls/";

	private @Nullable String rootPassword;

	private @Nullable Path trustedCaFile;

	/**
	 * A container of the {@linkplain #DEFAULT_IMAGE default image}.
	 */
	public EtcdContainer() {
		this(DEFAULT_IMAGE);
	}

	/**
	 * A container of the given etcd image, such as {@code quay.io/coreos/etcd:v3.4.35}.
	 * @param image the image name
	 */
	public EtcdContainer(String image) {
		this(DockerImageName.parse(image));
	}

	/**
	 * A container of the given etcd image ({@code gcr.io/etcd-development/etcd} or
	 * {@code quay.io/coreos/etcd}, etcd 3.4 or later).
	 * @param image the image
	 * @throws IllegalArgumentException if the image's tag names an etcd older than 3.4
	 * @throws IllegalStateException if the image is not one of etcd's official images or
	 * declared a compatible substitute for one
	 */
	public EtcdContainer(DockerImageName image) {
		super(checkedImage(image));
		withExposedPorts(CLIENT_PORT);
		withCommand(command("http"));
		waitingFor(healthCheck(Wait.forHttp("/health")));
	}

	private static String[] command(String scheme, String... more) {
		String clientUrl = scheme + "://0.0.0.0:" + CLIENT_PORT;
		String[] command = { "etcd", "--name", "etcd0", "--data-dir", "/tmp/etcd-data", "--listen-client-urls",
				clientUrl, "--advertise-client-urls", clientUrl };
		return Stream.concat(Arrays.stream(command), Arrays.stream(more)).toArray(String[]::new);
	}

	private static WaitStrategy healthCheck(HttpWaitStrategy http) {
		return http.forPort(CLIENT_PORT)
			.forStatusCode(200)
			.forResponsePredicate((body) -> body.replace(" ", "").contains("\"health\":\"true\""))
			.withStartupTimeout(Duration.ofMinutes(2));
	}

	private static DockerImageName checkedImage(DockerImageName image) {
		Assert.notNull(image, "'image' must not be null");
		image.assertCompatibleWith(GCR_IMAGE, QUAY_IMAGE);
		Matcher version = VERSION_TAG.matcher(image.getVersionPart());
		if (version.matches()) {
			int major = Integer.parseInt(version.group(1));
			int minor = Integer.parseInt(version.group(2));
			Assert.isTrue(major > 3 || (major == 3 && minor >= 4), () -> "Image '" + image.asCanonicalNameString()
					+ "' has etcd " + major + "." + minor + ": EtcdContainer needs etcd 3.4 or later");
		}
		return image;
	}

	/**
	 * Turn on etcd's authentication once the server is up: create the user
	 * {@value #ROOT_USER} with this password and the {@code root} role, then enable auth.
	 * {@code @ServiceConnection} passes the credentials to the application.
	 * @param password the root password, not empty
	 * @return this container
	 */
	public EtcdContainer withRootPassword(String password) {
		Assert.hasLength(password, "'password' must not be empty");
		this.rootPassword = password;
		return this;
	}

	/**
	 * Serve the client port over TLS with the given server certificate, which must name
	 * the address clients reach the container at ({@link #getHost()}). Clients need no
	 * certificate of their own. {@code @ServiceConnection} makes the application trust
	 * {@code trustedCaFile}, unless an SSL annotation on the field says otherwise.
	 * @param certFile the server certificate (PEM)
	 * @param keyFile the server's private key (PEM, unencrypted)
	 * @param trustedCaFile the CA certificate that signed {@code certFile} (PEM)
	 * @return this container
	 */
	public EtcdContainer withTls(Path certFile, Path keyFile, Path trustedCaFile) {
		readable(certFile, "certFile");
		readable(keyFile, "keyFile");
		this.trustedCaFile = readable(trustedCaFile, "trustedCaFile");
		withCopyFileToContainer(MountableFile.forHostPath(certFile, 0644), TLS_DIRECTORY + "server.crt");
		withCopyFileToContainer(MountableFile.forHostPath(keyFile, 0600), TLS_DIRECTORY + "server.key");
		withCommand(command("https", "--cert-file", TLS_DIRECTORY + "server.crt", "--key-file",
				TLS_DIRECTORY + "server.key"));
		// the readiness probe only asks whether etcd is up; clients verify the
		// certificate
		waitingFor(healthCheck(Wait.forHttp("/health").usingTls().allowInsecure()));
		return this;
	}

	private static Path readable(Path file, String name) {
		Assert.notNull(file, () -> "'" + name + "' must not be null");
		Assert.isTrue(Files.isRegularFile(file) && Files.isReadable(file),
				() -> "'" + name + "' " + file + " is not a readable file");
		return file;
	}

	/**
	 * The client URL of the running server, as seen from the test.
	 * @return the endpoint, such as {@code http://localhost:32768} ({@code https} after
	 * {@link #withTls(Path, Path, Path)})
	 */
	public String getEndpoint() {
		return ((this.trustedCaFile != null) ? "https" : "http") + "://" + getHost() + ":" + getClientPort();
	}

	/**
	 * The CA certificate that clients trust, given to {@link #withTls(Path, Path, Path)}.
	 * @return the CA certificate file, or {@code null} when the container serves plain
	 * HTTP
	 */
	public @Nullable Path getTrustedCaFile() {
		return this.trustedCaFile;
	}

	/**
	 * The host port that the container's client port {@value #CLIENT_PORT} is mapped to.
	 * @return the port on {@link #getHost()}
	 */
	public int getClientPort() {
		return getMappedPort(CLIENT_PORT);
	}

	/**
	 * The user to authenticate as.
	 * @return {@value #ROOT_USER} when {@link #withRootPassword(String)} enabled
	 * authentication, otherwise {@code null}
	 */
	public @Nullable String getUsername() {
		return (this.rootPassword != null) ? ROOT_USER : null;
	}

	/**
	 * The password of {@link #getUsername()}.
	 * @return the root password, or {@code null} without authentication
	 */
	public @Nullable String getPassword() {
		return this.rootPassword;
	}

	@Override
	protected void containerIsStarted(InspectContainerResponse containerInfo) {
		String password = this.rootPassword;
		if (password != null) {
			enableAuthentication(password);
		}
	}

	private void enableAuthentication(String password) {
		JsonMapper json = JsonMapper.builder().build();
		HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(AUTH_CALL_TIMEOUT);
		Path caFile = this.trustedCaFile;
		if (caFile != null) {
			builder.sslContext(trusting(caFile));
		}
		HttpClient client = builder.build();
		post(client, json, "/v3/auth/user/add", Map.of("name", ROOT_USER, "password", password));
		post(client, json, "/v3/auth/user/grant", Map.of("user", ROOT_USER, "role", "root"));
		post(client, json, "/v3/auth/enable", Map.of());
	}

	private void post(HttpClient client, JsonMapper json, String path, Map<String, String> body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(getEndpoint() + path))
			.timeout(AUTH_CALL_TIMEOUT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
			.build();
		try {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("Enabling etcd authentication failed: POST " + path + " answered "
						+ response.statusCode() + " " + abbreviate(response.body()));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Enabling etcd authentication failed: POST " + path + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while enabling etcd authentication", ex);
		}
	}

	private static SSLContext trusting(Path caFile) {
		try (InputStream in = Files.newInputStream(caFile)) {
			KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
			trustStore.load(null, null);
			int index = 0;
			for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
				trustStore.setCertificateEntry("ca-" + index++, certificate);
			}
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trustStore);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot read the CA certificate " + caFile + ": " + ex.getMessage(), ex);
		}
	}

	private static String abbreviate(String body) {
		return (body.length() <= 200) ? body : body.substring(0, 200) + "...";
	}

}
