package org.etcdspring.test;

import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit Jupiter extension that runs an {@link EtcdLocalCluster} for the tests of a class.
 * <p>
 * Registered on a {@code static} field, all tests of the class and of its {@code @Nested}
 * classes share one cluster, started before the first test and closed after the last
 * (after the other extensions' {@code afterAll} callbacks, so that a Spring application
 * context closed there still reaches etcd): <pre class="code">
 * &#64;RegisterExtension
 * static final EtcdServerExtension etcd = EtcdServerExtension.singleNode();
 * </pre> Registered on an instance field, every test gets a fresh cluster of its own.
 * Test methods and, with static registration, constructors can also declare a parameter
 * of type {@link EtcdLocalCluster}.
 * <p>
 * A missing {@code etcd} executable makes the tests fail rather than being skipped.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdServerExtension
		implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

	private final EtcdLocalCluster.Builder builder;

	private volatile EtcdLocalCluster cluster;

	private int classScopes;

	private boolean startedForTest;

	private EtcdServerExtension(EtcdLocalCluster.Builder builder) {
		this.builder = builder;
	}

	/**
	 * Create an extension that runs a single etcd member.
	 * @return the extension
	 */
	public static EtcdServerExtension singleNode() {
		return using(EtcdLocalCluster.builder());
	}

	/**
	 * Create an extension that runs a cluster with the given number of members.
	 * @param members the number of members, from 1 to 5
	 * @return the extension
	 */
	public static EtcdServerExtension cluster(int members) {
		return using(EtcdLocalCluster.builder().members(members));
	}

	/**
	 * Create an extension that starts its clusters with the given builder, for example to
	 * pass extra etcd flags.
	 * @param builder the builder that starts the cluster
	 * @return the extension
	 */
	public static EtcdServerExtension using(EtcdLocalCluster.Builder builder) {
		return new EtcdServerExtension(builder);
	}

	/**
	 * The client endpoint of the first member.
	 * @return the client endpoint, such as {@code http://127.0.0.1:40001}
	 * @throws IllegalStateException if the cluster is not running
	 */
	public String endpoint() {
		return cluster().endpoint();
	}

	/**
	 * The client endpoints of all members, in member order.
	 * @return the client endpoints
	 * @throws IllegalStateException if the cluster is not running
	 */
	public List<String> endpoints() {
		return cluster().endpoints();
	}

	/**
	 * The running cluster, for access to its members.
	 * @return the cluster
	 * @throws IllegalStateException if the cluster is not running
	 */
	public EtcdLocalCluster cluster() {
		EtcdLocalCluster current = this.cluster;
		if (current == null) {
			throw new IllegalStateException(
					"etcd is not running: it is only available while the tests of the class that registers "
							+ "the extension with @RegisterExtension run");
		}
		return current;
	}

	@Override
	public synchronized void beforeAll(ExtensionContext context) {
		// A @Nested class sees the extension of its enclosing class again and must share
		// its cluster
		if (this.classScopes++ == 0) {
			this.cluster = this.builder.start();
		}
	}

	@Override
	public synchronized void afterAll(ExtensionContext context) {
		if (--this.classScopes == 0) {
			// Closed with the class's extension context, after every afterAll callback:
			// an
			// application context that another extension closes in its afterAll (Spring's
			// @DirtiesContext) still reaches etcd while it shuts down
			AutoCloseable closer = this::closeCluster;
			context.getStore(ExtensionContext.Namespace.create(EtcdServerExtension.class, this))
				.put(EtcdLocalCluster.class, closer);
		}
	}

	@Override
	public synchronized void beforeEach(ExtensionContext context) {
		// Without beforeAll the extension was registered on an instance field: one
		// cluster per test
		if (this.classScopes == 0 && this.cluster == null) {
			this.cluster = this.builder.start();
			this.startedForTest = true;
		}
	}

	@Override
	public synchronized void afterEach(ExtensionContext context) {
		if (this.startedForTest) {
			this.startedForTest = false;
			closeCluster();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == EtcdLocalCluster.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		EtcdLocalCluster current = this.cluster;
		if (current == null) {
			throw new ParameterResolutionException("etcd is not running, so no EtcdLocalCluster can be injected into "
					+ parameterContext.getDeclaringExecutable());
		}
		return current;
	}

	private synchronized void closeCluster() {
		EtcdLocalCluster current = this.cluster;
		this.cluster = null;
		if (current != null) {
			current.close();
		}
	}

}
