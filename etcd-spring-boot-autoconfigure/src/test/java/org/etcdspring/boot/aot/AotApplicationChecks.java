package org.etcdspring.boot.aot;

import java.time.Duration;

import tools.jackson.databind.json.JsonMapper;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.actuate.EtcdEndpoint;
import org.etcdspring.boot.config.EtcdConfigDataLocationResolver;
import org.etcdspring.boot.health.EtcdHealthIndicator;
import org.etcdspring.core.transport.Kv;
import org.etcdspring.leader.EtcdLeaderRoles;

import org.springframework.aop.support.AopUtils;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every AOT run of {@link AotApplication} must show: the generated hints cover the
 * library's reflective needs, the CGLIB proxies of the annotated beans are generated
 * ahead of time, and the application started from generated code does key/value, a lock
 * keyed on an argument, a leader job, health and the endpoint.
 *
 * @author etcd-spring
 */
final class AotApplicationChecks {

	private static final Duration LEADERSHIP_WAIT = Duration.ofSeconds(30);

	private AotApplicationChecks() {
	}

	static void generatedHintsCoverTheLibrary(TestGenerationContext generationContext) {
		RuntimeHints hints = generationContext.getRuntimeHints();
		try {
			assertThat(RuntimeHintsPredicates.reflection()
				.onMethodInvocation(AotApplication.Shipping.class.getMethod("ship", AotApplication.Order.class)))
				.accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection()
				.onMethodInvocation(AotApplication.Order.class.getDeclaredMethod("id"))).accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection()
				.onMethodInvocation(AotApplication.Report.class.getMethod("run"))).accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection()
				.onMethodInvocation(EtcdEndpoint.EtcdDescriptor.class.getMethod("members"))).accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection()
				.onConstructorInvocation(Kv.RangeResponse.class.getDeclaredConstructors()[0])).accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection()
				.onConstructorInvocation(EtcdConfigDataLocationResolver.class.getDeclaredConstructors()[0]))
				.accepts(hints);
		}
		catch (NoSuchMethodException ex) {
			throw new AssertionError(ex);
		}
		InMemoryGeneratedFiles generatedFiles = generationContext.getGeneratedFiles();
		assertThat(generatedFiles.getGeneratedFiles(Kind.SOURCE)).as("generated sources")
			.containsKey(AotApplication.class.getName().replace('.', '/') + "__ApplicationContextInitializer.java");
		// A native image cannot define classes at run time: the CGLIB proxies of the
		// @EtcdLock and @EtcdLeader beans must be generated ahead of time
		assertThat(generatedFiles.getGeneratedFiles(Kind.CLASS).keySet()).as("generated classes")
			.anyMatch((file) -> file.startsWith(proxyClassFilePrefix(AotApplication.Shipping.class)))
			.anyMatch((file) -> file.startsWith(proxyClassFilePrefix(AotApplication.Report.class)));
	}

	private static String proxyClassFilePrefix(Class<?> beanClass) {
		return beanClass.getName().replace('.', '/') + ClassUtils.CGLIB_CLASS_SEPARATOR;
	}

	static void applicationWorksFromGeneratedCode(ConfigurableApplicationContext context) {
		// In AOT mode the bean definitions come from the generated initializer: no
		// configuration class parsing at run time
		assertThat(context.containsBean(AnnotationConfigUtils.CONFIGURATION_ANNOTATION_PROCESSOR_BEAN_NAME)).isFalse();
		EtcdTemplate template = context.getBean(EtcdTemplate.class);
		AotApplication.Order order = new AotApplication.Order(42, "ada");
		template.put("aot/order", order);
		assertThat(template.get("aot/order", AotApplication.Order.class)).isEqualTo(order);
		assertThat(template.getPrefix("aot/")).hasSize(1);
		AotApplication.Shipping shipping = context.getBean(AotApplication.Shipping.class);
		assertThat(AopUtils.isCglibProxy(shipping)).as("%s is a CGLIB proxy", shipping.getClass()).isTrue();
		assertThat(shipping.ship(order)).contains("aot-order-42");
		assertThat(template.locks().heldLocks()).isEmpty();
		EtcdLeaderRoles roles = context.getBean(EtcdLeaderRoles.class);
		long deadline = System.nanoTime() + LEADERSHIP_WAIT.toNanos();
		while (!roles.isLeader(AotApplication.ROLE) && System.nanoTime() < deadline) {
			sleep();
		}
		assertThat(roles.isLeader(AotApplication.ROLE)).as("leader of %s", AotApplication.ROLE).isTrue();
		AotApplication.Report report = context.getBean(AotApplication.Report.class);
		report.run();
		assertThat(report.runs()).isEqualTo(1);
		assertThat(context.getBean(EtcdHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
		EtcdEndpoint.EtcdDescriptor descriptor = context.getBean(EtcdEndpoint.class).etcd();
		assertThat(descriptor.members()).hasSize(1);
		assertThat(descriptor.rolesLed()).contains(AotApplication.ROLE);
		assertThat(JsonMapper.builder().build().writeValueAsString(descriptor))
			.contains("\"rolesLed\":[\"aot-report\"]");
	}

	static void sleep() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
