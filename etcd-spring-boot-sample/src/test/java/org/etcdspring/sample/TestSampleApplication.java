package org.etcdspring.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;

/**
 * Runs the sample against an etcd that it starts itself: {@code mvn spring-boot:test-run}.
 *
 * @author etcd-spring
 */
public class TestSampleApplication {

	public static void main(String[] args) {
		SpringApplication.from(SampleApplication::main)
			.with(LocalEtcdConfiguration.class, UrlPrinter.class)
			.run(args);
	}

	/**
	 * Prints where to point a browser once the sample is up.
	 */
	static class UrlPrinter implements ApplicationListener<ApplicationReadyEvent> {

		@Override
		public void onApplicationEvent(ApplicationReadyEvent event) {
			if (event.getApplicationContext() instanceof WebServerApplicationContext web) {
				String base = "http://localhost:" + web.getWebServer().getPort();
				System.out.println("""

						etcd sample is running:
						  %1$s/keys/hello         (GET, PUT a body, DELETE)
						  %1$s/keys?prefix=h      (list)
						  %1$s/actuator/health
						Stop with Ctrl-C; the local etcd stops with it.
						""".formatted(base));
			}
		}

	}

}
