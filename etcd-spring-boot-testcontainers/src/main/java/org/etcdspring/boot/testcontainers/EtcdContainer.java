package org.etcdspring.boot.testcontainers;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A single-member etcd server in a container of etcd's official image, for tests.
 * Annotate a field with {@code @ServiceConnection} and the application connects to it.
 *
 * <pre class="code">
 * &#64;Container
 * &#64;ServiceConnection
 * static EtcdContainer etcd = new EtcdContainer();
 * </pre>
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public class EtcdContainer extends GenericContainer<EtcdContainer> {

	/**
	 * The image used by default.
	 */
	public static final DockerImageName DEFAULT_IMAGE = DockerImageName.parse("gcr.io/etcd-development/etcd:v3.5.17");

	/**
	 * The client port inside the container.
	 */
	public static final int CLIENT_PORT = 2379;

	/**
	 * A container of the default image.
	 */
	public EtcdContainer() {
		this(DEFAULT_IMAGE);
	}

	/**
	 * A container of the given etcd image ({@code gcr.io/etcd-development/etcd},
	 * {@code quay.io/coreos/etcd} or a compatible one).
	 * @param image the image
	 */
	public EtcdContainer(DockerImageName image) {
		super(image);
		withExposedPorts(CLIENT_PORT);
		withCommand("etcd", "--name", "etcd0", "--data-dir", "/tmp/etcd-data", "--listen-client-urls",
				"http://0.0.0.0:" + CLIENT_PORT, "--advertise-client-urls", "http://0.0.0.0:" + CLIENT_PORT);
		waitingFor(Wait.forHttp("/health").forPort(CLIENT_PORT).forResponsePredicate((body) -> body.contains("true")));
	}

	/**
	 * The client URL of the running server, as seen from the test.
	 * @return the endpoint, such as {@code http://localhost:32768}
	 */
	public String getEndpoint() {
		return "http://" + getHost() + ":" + getMappedPort(CLIENT_PORT);
	}

}
