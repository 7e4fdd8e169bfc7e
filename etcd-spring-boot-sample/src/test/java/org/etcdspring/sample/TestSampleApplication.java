package org.etcdspring.sample;

import java.nio.file.Files;
import java.nio.file.Path;

import org.etcdspring.boot.autoconfigure.EtcdConnectionDetails;
import org.testcontainers.DockerClientFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;

/**
 * Runs the sample against an etcd that it starts itself
 * ({@code mvn spring-boot:test-run}): a container where Docker runs, else the local etcd
 * binary.
 *
 * @author etcd-spring
 */
public class TestSampleApplication {

	public static void main(String[] args) {
		Class<?> etcd = dockerRuns() ? ContainerEtcdConfiguration.class : LocalEtcdConfiguration.class;
		SpringApplication.from(SampleApplication::main).with(etcd, UrlPrinter.class).run(args);
	}

	/**
	 * Asks Testcontainers only where a Docker engine may run: elsewhere it would log its
	 * search for one as errors.
	 */
	private static boolean dockerRuns() {
		boolean mayRun = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
		return mayRun && DockerClientFactory.instance().isDockerAvailable();
	}

	/**
	 * Prints where to point a browser once the sample is up.
	 */
	static class UrlPrinter implements ApplicationListener<ApplicationReadyEvent> {

		@Override
		public void onApplicationEvent(ApplicationReadyEvent event) {
			if (event.getApplicationContext() instanceof WebServerApplicationContext web) {
				String base = "http://localhost:" + web.getWebServer().getPort();
				String etcd = web.getBean(EtcdConnectionDetails.class).getEndpoints().get(0).toString();
				System.out.println(
						"""

								etcd sample is running, with etcd at %2$s:
								  %1$s/keys/hello         (GET, PUT a body, DELETE)
								  %1$s/keys?prefix=h      (list)
								  %1$s/actuator/health
								A second instance on the same etcd, in another terminal:
								  ./dev/run-sample -Dspring-boot.run.arguments="--server.port=8082 --sample.local-etcd=false --etcd.peers=%2$s"
								Stop with Ctrl-C; a local etcd started here stops with it.
								"""
							.formatted(base, etcd));
			}
		}

	}

}
