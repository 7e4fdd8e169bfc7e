package org.etcdspring.aot;

import java.lang.reflect.Method;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.etcdspring.leader.EtcdLeader;
import org.etcdspring.lock.EtcdLock;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the hints for beans with {@code @EtcdLock} and {@code @EtcdLeader} methods, and
 * for the SpEL root of lock keys.
 *
 * @author etcd-spring
 */
class EtcdAnnotatedMethodsAotProcessorTests {

	@Test
	void aotFactoriesRegisterTheProcessor() {
		assertThat(AotServices.factories().load(BeanRegistrationAotProcessor.class).asList())
			.hasAtLeastOneElementOfType(EtcdAnnotatedMethodsAotProcessor.class);
	}

	@Test
	void lockAndLeaderMethodsAreFoundAndCallableAndKeyArgumentsBound() throws Exception {
		RuntimeHints hints = contribute(Shipping.class);
		assertThat(RuntimeHintsPredicates.reflection().onType(Shipping.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(Shipping.class.getDeclaredMethod("ship", Order.class))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Shipping.class.getDeclaredMethod("report")))
			.accepts(hints);
		// '#order.id' reads the record component through its accessor
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Order.class.getDeclaredMethod("id")))
			.accepts(hints);
		assertThat(
				RuntimeHintsPredicates.reflection().onMethodInvocation(Shipping.class.getDeclaredMethod("unrelated")))
			.rejects(hints);
	}

	@Test
	void inheritedAnnotatedMethodsAreFoundOnTheirDeclaringClass() throws Exception {
		RuntimeHints hints = contribute(SubShipping.class);
		assertThat(RuntimeHintsPredicates.reflection().onType(SubShipping.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Shipping.class)).accepts(hints);
	}

	@Test
	void beansWithoutAnnotatedMethodsContributeNothing() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("plain", new RootBeanDefinition(Order.class));
		assertThat(new EtcdAnnotatedMethodsAotProcessor().processAheadOfTime(RegisteredBean.of(beanFactory, "plain")))
			.isNull();
	}

	@Test
	void lockKeyRootIsReflectable() throws Exception {
		RuntimeHints hints = new RuntimeHints();
		new EtcdRuntimeHints().registerHints(hints, getClass().getClassLoader());
		Class<?> root = Class.forName(EtcdRuntimeHints.LOCK_KEY_ROOT.getName());
		for (String getter : new String[] { "getMethod", "getArgs", "getTarget", "getTargetClass" }) {
			Method method = root.getMethod(getter);
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method)).as(getter).accepts(hints);
		}
	}

	@Test
	void annotationsCanBeIntrospected() {
		RuntimeHints hints = new RuntimeHints();
		new EtcdRuntimeHints().registerHints(hints, getClass().getClassLoader());
		for (Class<?> type : List.of(EtcdLock.class, EtcdLeader.class)) {
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(hints);
		}
	}

	private static RuntimeHints contribute(Class<?> beanClass) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("bean", new RootBeanDefinition(beanClass));
		BeanRegistrationAotContribution contribution = new EtcdAnnotatedMethodsAotProcessor()
			.processAheadOfTime(RegisteredBean.of(beanFactory, "bean"));
		assertThat(contribution).isNotNull();
		DefaultGenerationContext generationContext = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Test")), new InMemoryGeneratedFiles());
		contribution.applyTo(generationContext, null);
		return generationContext.getRuntimeHints();
	}

	record Order(long id) {
	}

	static class Shipping {

		@EtcdLock(key = "'order-' + #order.id")
		public void ship(Order order) {
		}

		@EtcdLeader("report")
		public void report() {
		}

		public void unrelated() {
		}

	}

	static class SubShipping extends Shipping {

	}

}
