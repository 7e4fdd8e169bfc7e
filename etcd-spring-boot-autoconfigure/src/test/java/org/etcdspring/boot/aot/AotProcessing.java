package org.etcdspring.boot.aot;

import java.util.function.Consumer;

import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Does what {@code spring-boot:process-aot} and {@code -Dspring.aot.enabled=true} do, in
 * a test: prepares the application's context as {@code SpringApplication.run} would
 * (environment, config imports, auto-configuration conditions), generates its code and
 * hints with {@link ApplicationContextAotGenerator}, compiles that code, and runs the
 * application again in AOT mode, from the generated initializer only.
 *
 * @author etcd-spring
 */
final class AotProcessing {

	private AotProcessing() {
	}

	/**
	 * Process the application ahead of time, then run it from the generated code.
	 * @param hintsCheck receives the generated runtime hints
	 * @param aotRun receives the context started in AOT mode, closed afterwards
	 * @param args the arguments of both runs
	 */
	static void processAndRun(Consumer<TestGenerationContext> hintsCheck,
			Consumer<ConfigurableApplicationContext> aotRun, String... args) {
		processAndRun(hintsCheck, Runnable::run, aotRun, args);
	}

	/**
	 * Process the application ahead of time, then run it from the generated code, the
	 * whole run in AOT mode (start, {@code aotRun}, close) handed to {@code aotMode}, so
	 * that it can watch it.
	 * @param hintsCheck receives the generated runtime hints
	 * @param aotMode runs the run in AOT mode that it is given
	 * @param aotRun receives the context started in AOT mode, closed afterwards
	 * @param args the arguments of both runs
	 */
	static void processAndRun(Consumer<TestGenerationContext> hintsCheck, Consumer<Runnable> aotMode,
			Consumer<ConfigurableApplicationContext> aotRun, String... args) {
		GenericApplicationContext prepared = prepare(args);
		TestGenerationContext generationContext = new TestGenerationContext(AotApplication.class);
		ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(prepared, generationContext);
		assertThat(initializer.canonicalName())
			.isEqualTo(AotApplication.class.getName() + "__ApplicationContextInitializer");
		registerEntryPointHint(generationContext, initializer);
		generationContext.writeGeneratedContent();
		hintsCheck.accept(generationContext);
		TestCompiler.forSystem().with(generationContext).compile((compiled) -> {
			System.setProperty("spring.aot.enabled", "true");
			try {
				aotMode.accept(() -> {
					try (ConfigurableApplicationContext context = application().run(args)) {
						aotRun.accept(context);
					}
				});
			}
			finally {
				System.clearProperty("spring.aot.enabled");
			}
		});
	}

	/**
	 * The hint that {@code process-aot} gives the generated initializer (Spring's
	 * {@code ContextAotProcessor}), which the application finds by name and creates.
	 */
	private static void registerEntryPointHint(TestGenerationContext generationContext, ClassName initializer) {
		TypeReference application = TypeReference.of(AotApplication.class);
		ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
		reflection.registerType(application);
		reflection.registerType(TypeReference.of(initializer.canonicalName()),
				(type) -> type.onReachableType(application));
	}

	/**
	 * The context as {@code SpringApplication.run} leaves it just before refreshing it;
	 * what Boot's own AOT processor hands to the generator.
	 */
	private static GenericApplicationContext prepare(String... args) {
		try {
			SpringApplication.withHook((application) -> new SpringApplicationRunListener() {

				@Override
				public void contextLoaded(ConfigurableApplicationContext context) {
					throw new SpringApplication.AbandonedRunException(context);
				}

			}, () -> application().run(args));
		}
		catch (SpringApplication.AbandonedRunException ex) {
			return (GenericApplicationContext) ex.getApplicationContext();
		}
		throw new AssertionError("The application ran to the end instead of stopping before its refresh");
	}

	private static SpringApplication application() {
		SpringApplication application = new SpringApplication(AotApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		// The generated initializer is found by the name of the main class
		application.setMainApplicationClass(AotApplication.class);
		return application;
	}

}
