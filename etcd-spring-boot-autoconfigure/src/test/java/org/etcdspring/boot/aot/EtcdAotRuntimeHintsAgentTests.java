package org.etcdspring.boot.aot;

import java.lang.reflect.Member;
import java.net.URI;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.boot.actuate.EtcdEndpoint;
import org.etcdspring.boot.config.EtcdConfigDataLocationResolver;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.leader.EtcdLeader;
import org.etcdspring.lock.EtcdLock;
import org.etcdspring.test.EtcdServerExtension;

import org.springframework.aot.agent.RecordedInvocation;
import org.springframework.aot.agent.RecordedInvocationsPublisher;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeHint;
import org.springframework.beans.CachedIntrospectionResults;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Boot application's hints against the reflection that really happens: Spring's
 * runtime hints agent (attached by the build's {@code runtime-hints-agent} test
 * execution) records every reflective call while {@link AotApplication}, processed ahead
 * of time, runs from its generated code against a real etcd: a config import, an
 * {@code @EtcdLock} method keyed on an argument (SpEL), an {@code @EtcdLeader} job,
 * health, the {@code /actuator/etcd} answer written by Jackson, and the Spring
 * Integration pieces (lock registry, leader initiator, metadata store, watch message
 * producer). Each call on a type of the library (or of the application) must be covered
 * by the hints the AOT processing generated, as a native image would get them.
 *
 * <p>
 * Spring Framework 7 deprecates the agent for removal, in favour of GraalVM's
 * {@code -XX:MissingRegistrationReportingMode=Warn}, which needs a native image: without
 * one on these machines nothing replaces it on the JVM, so it is kept. Its recorder
 * ({@code RuntimeHintsRecorder}) is not used: it collects in a list that is not safe for
 * the application's own threads (watches, campaigns, keep-alives), and adds and removes
 * its listener while they run; one listener, added before etcd starts, collects here
 * instead. The test runs in a forked class loader (for the generated code), which loads
 * the agent's classes again from the class path, with a state of their own
 * ({@code RuntimeHintsAgent.isLoaded()} is not set there): the recording itself proves
 * that the agent is attached.
 *
 * @author etcd-spring
 */
@SuppressWarnings("removal")
@CompileWithForkedClassLoader
class EtcdAotRuntimeHintsAgentTests {

	private static final Recording recording = Recording.start();

	@RegisterExtension
	static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();

	@Test
	void everyReflectiveCallOnTheLibrarysTypesHasAGeneratedHint() {
		AtomicReference<RuntimeHints> generatedHints = new AtomicReference<>();
		AtomicReference<List<RecordedInvocation>> invocations = new AtomicReference<>();
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(etcd.endpoint()))).build();
				EtcdTemplate template = new EtcdTemplate(transport)) {
			template.put("/aot-config/aot/greeting", "hello from etcd");
			try {
				// Only the run in AOT mode is recorded: what a native image does, not
				// what
				// the build does to generate it
				AotProcessing.processAndRun((generationContext) -> {
					AotApplicationChecks.generatedHintsCoverTheLibrary(generationContext);
					generatedHints.set(generationContext.getRuntimeHints());
				}, (run) -> {
					// Spring's reflection caches hold what the AOT processing looked up
					// in
					// this JVM: a native image starts without them
					clearReflectionCaches();
					invocations.set(recording.during(run));
				}, (context) -> {
					assertThat(context.getBean(AotApplication.Greeting.class).text()).isEqualTo("hello from etcd");
					AotApplicationChecks.applicationWorksFromGeneratedCode(context);
					AotIntegrationChecks.integrationWorksFromGeneratedCode(context);
				}, EtcdAotTests.args("--etcd.peers=" + etcd.endpoint(), "--spring.config.import=etcd:/aot-config/"));
			}
			finally {
				template.delete("/aot-config/aot/greeting");
			}
		}
		assertThat(invocations.get())
			.as("invocations recorded by the runtime hints agent, "
					+ "which the build's runtime-hints-agent execution attaches")
			.isNotEmpty();
		List<RecordedInvocation> onLibraryTypes = invocations.get()
			.stream()
			.filter(EtcdAotRuntimeHintsAgentTests::onLibraryType)
			.toList();
		// Without any hints, the library's types are reflected upon: the recording saw
		// the lock key's SpEL read #order.id, the endpoint's answer written, the config
		// import resolved, the annotated beans looked at
		assertThat(onLibraryTypes).filteredOn((invocation) -> !invocation.matches(new RuntimeHints()))
			.extracting(Object::toString)
			.anyMatch(mentioning(AotApplication.Order.class))
			.anyMatch(mentioning(EtcdEndpoint.EtcdDescriptor.class))
			.anyMatch(mentioning(EtcdConfigDataLocationResolver.class))
			.anyMatch(mentioning(AotApplication.Shipping.class));
		assertThat(onLibraryTypes).filteredOn((invocation) -> !invocation.matches(generatedHints.get()))
			.filteredOn((invocation) -> !answeredAlikeWithoutHints(invocation))
			.filteredOn((invocation) -> !onSpringsOwnGeneratedClass(invocation, generatedHints.get()))
			.extracting((invocation) -> describe(invocation, generatedHints.get()))
			.isEmpty();
	}

	/**
	 * Whether a native image answers the invocation as the JVM did, hints or not:
	 * <ul>
	 * <li>a look-up that found nothing (a class, field or method that is not there);</li>
	 * <li>the search for annotated methods in a bean without any
	 * ({@code MethodIntrospector.selectMethods}, as the {@code @EtcdLock} and
	 * {@code @EtcdLeader} post-processors and Spring's own {@code @EventListener} one do
	 * for every bean): a class without hints shows no methods, the answer it had.</li>
	 * </ul>
	 * The search in a bean with {@code @EtcdLock} or {@code @EtcdLeader} methods is not
	 * excluded: their hints must let it find them.
	 */
	private static boolean answeredAlikeWithoutHints(RecordedInvocation invocation) {
		String method = invocation.getMethodReference().toString();
		boolean lookup = method.contains("java.lang.Class#forName") || method.contains("java.lang.Class#get");
		if (lookup && invocation.getReturnValue() == null) {
			return true;
		}
		return lookup && !invocation.isStatic() && invocation.getInstance() instanceof Class<?> type
				&& !hasAnnotatedMethods(type)
				&& invocation.getStackFrames()
					.anyMatch((frame) -> frame.getClassName().equals(MethodIntrospector.class.getName())
							&& frame.getMethodName().equals("selectMethods"));
	}

	/**
	 * Whether the invocation is Spring's own on a class that Spring generated and gave
	 * its hint, which the agent still reports: the creation of the generated initializer
	 * (its hint is the one {@code ContextAotProcessor} gives, as {@link AotProcessing}
	 * registers it), and CGLIB's setting of the static {@code CGLIB$FACTORY_DATA} field
	 * of a proxy class (Spring registers the proxy class with
	 * {@code ACCESS_DECLARED_FIELDS}). Nothing the library registers could change either.
	 */
	private static boolean onSpringsOwnGeneratedClass(RecordedInvocation invocation, RuntimeHints hints) {
		if (invocation.isStatic() || !(invocation.getInstance() instanceof Member member)) {
			return false;
		}
		Class<?> type = member.getDeclaringClass();
		if (hints.reflection().getTypeHint(type) == null) {
			return false;
		}
		boolean initializer = type.getName().equals(AotApplication.class.getName() + "__ApplicationContextInitializer");
		boolean proxyFactoryData = ClassUtils.isCglibProxyClassName(type.getName())
				&& member.getName().equals("CGLIB$FACTORY_DATA");
		return initializer || proxyFactoryData;
	}

	private static boolean hasAnnotatedMethods(Class<?> type) {
		return !MethodIntrospector
			.selectMethods(type, (MethodIntrospector.MetadataLookup<Boolean>) (
					method) -> (AnnotatedElementUtils.hasAnnotation(method, EtcdLock.class)
							|| AnnotatedElementUtils.hasAnnotation(method, EtcdLeader.class)) ? Boolean.TRUE : null)
			.isEmpty();
	}

	/**
	 * The invocation, the frames that made it (up to the first outside Spring and the
	 * JDK), and the hint of the type it is on.
	 */
	private static String describe(RecordedInvocation invocation, RuntimeHints hints) {
		StringBuilder description = new StringBuilder(invocation.toString());
		if (!invocation.isStatic() && invocation.getInstance() instanceof Member member) {
			TypeHint hint = hints.reflection().getTypeHint(member.getDeclaringClass());
			description.append("\n\t\ton ")
				.append(member)
				.append(", whose type has ")
				.append((hint != null) ? hint.getMemberCategories() + " " + hint.fields().toList() : "no hint");
		}
		for (StackWalker.StackFrame frame : invocation.getStackFrames().limit(12).toList()) {
			description.append("\n\t\tat ").append(frame);
			if (!frame.getClassName().startsWith("org.springframework.") && !frame.getClassName().startsWith("java.")) {
				break;
			}
		}
		return description.toString();
	}

	private static Predicate<String> mentioning(Class<?> type) {
		return (invocation) -> invocation.contains(type.getName()) || invocation.contains(type.getCanonicalName());
	}

	private static void clearReflectionCaches() {
		ReflectionUtils.clearCache();
		AnnotationUtils.clearCache();
		ResolvableType.clearCache();
		CachedIntrospectionResults.clearClassLoader(AotApplication.class.getClassLoader());
	}

	private static boolean onLibraryType(RecordedInvocation invocation) {
		return (!invocation.isStatic() && String.valueOf((Object) invocation.getInstance()).contains("org.etcdspring."))
				|| invocation.getArguments()
					.stream()
					.anyMatch((argument) -> String
						.valueOf((argument instanceof Class<?> type) ? type.getName() : argument)
						.startsWith("org.etcdspring."));
	}

	/**
	 * Collects the agent's invocations from every thread while {@link #during} runs.
	 */
	private static final class Recording {

		private final Queue<RecordedInvocation> invocations = new ConcurrentLinkedQueue<>();

		private volatile boolean recording;

		static Recording start() {
			Recording recording = new Recording();
			// Added once and never removed: the publisher's list of listeners is not safe
			// to change while other threads publish
			RecordedInvocationsPublisher.addListener((invocation) -> {
				if (recording.recording) {
					recording.invocations.add(invocation);
				}
			});
			return recording;
		}

		List<RecordedInvocation> during(Runnable action) {
			this.invocations.clear();
			this.recording = true;
			try {
				action.run();
			}
			finally {
				this.recording = false;
			}
			return List.copyOf(this.invocations);
		}

	}

}
