package org.etcdspring.benchmarks.clients;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;

/**
 * The three clients of one benchmark run, connected to the same etcd endpoint and shared
 * by every workload.
 *
 * @author etcd-spring
 */
public final class Clients implements AutoCloseable {

	private static final Duration LOCK_TTL = Duration.ofSeconds(60);

	private final EtcdTransport transport;

	private final EtcdTemplate template;

	private final io.etcd.jetcd.Client jetcd;

	private final KvClient templateKv;

	private final KvClient jetcdKv;

	private final HttpClient httpClient;

	private final HttpKvClient httpKv;

	private Clients(String endpoint, ClientTls tls) {
		URI uri = URI.create(endpoint);
		EtcdTransport.Builder transport = EtcdTransport.builder(List.of(uri));
		io.etcd.jetcd.ClientBuilder jetcd = io.etcd.jetcd.Client.builder().endpoints(endpoint);
		// Same HTTP version as etcd-spring's transport
		HttpClient.Builder httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5));
		if (tls != null) {
			transport.sslContext(tls.sslContext());
			jetcd.sslContext(tls.nettySslContext());
			httpClient.sslContext(tls.sslContext());
		}
		this.transport = transport.build();
		this.template = new EtcdTemplate(this.transport);
		this.jetcd = jetcd.build();
		this.templateKv = new TemplateKvClient(this.template);
		this.jetcdKv = new JetcdKvClient(this.jetcd.getKVClient());
		this.httpClient = httpClient.build();
		this.httpKv = new HttpKvClient(this.httpClient, uri);
	}

	/**
	 * Create every client for one etcd endpoint.
	 * @param endpoint the client URL, such as {@code http://127.0.0.1:2379} or
	 * {@code https://127.0.0.1:2379}
	 * @param tls the CA and client certificate for an {@code https} endpoint, or
	 * {@code null}
	 * @return the clients
	 */
	public static Clients connect(String endpoint, ClientTls tls) {
		return new Clients(endpoint, tls);
	}

	/**
	 * The HTTP version the bare {@code HttpClient} (configured like etcd-spring's
	 * transport) negotiated with the gateway.
	 * @return such as {@code HTTP_1_1}
	 */
	public String httpVersion() {
		return this.httpKv.lastVersion();
	}

	/**
	 * etcd-spring's template, for the workloads of features only it has (cache, STM).
	 * @return the template
	 */
	public EtcdTemplate template() {
		return this.template;
	}

	/**
	 * The batches etcd-spring's transport sent so far.
	 * @return the count of batches and of the operations they carried
	 */
	public Batches etcdSpringBatches() {
		return new Batches(this.transport.batchCount(), this.transport.batchedOperationCount());
	}

	/**
	 * The key/value calls of a client.
	 * @param client which client
	 * @return its key/value calls
	 */
	public KvClient kv(Client client) {
		return switch (client) {
			case ETCD_SPRING -> this.templateKv;
			case JETCD -> this.jetcdKv;
			case HTTP_CLIENT -> this.httpKv;
		};
	}

	/**
	 * Open a lock session: a lease of 60 seconds, kept alive until the client is closed.
	 * @param client {@link Client#ETCD_SPRING} or {@link Client#JETCD}
	 * @return the lock client
	 */
	public LockClient locks(Client client) {
		return switch (client) {
			case ETCD_SPRING -> new EtcdMutexLockClient(this.template, LOCK_TTL);
			case JETCD -> new JetcdLockClient(this.jetcd, LOCK_TTL);
			case HTTP_CLIENT ->
				throw new IllegalArgumentException("The bare HttpClient takes part in put, get and CAS only");
		};
	}

	/**
	 * The watches of a client.
	 * @param client {@link Client#ETCD_SPRING} or {@link Client#JETCD}
	 * @return the watch client
	 */
	public WatchClient watches(Client client) {
		return switch (client) {
			case ETCD_SPRING -> new TemplateWatchClient(this.template);
			case JETCD -> new JetcdWatchClient(this.jetcd.getWatchClient());
			case HTTP_CLIENT ->
				throw new IllegalArgumentException("The bare HttpClient takes part in put, get and CAS only");
		};
	}

	@Override
	public void close() {
		this.template.close();
		this.transport.close();
		this.jetcd.close();
		if (this.httpClient instanceof AutoCloseable closeable) {
			// Java 21 and later
			try {
				closeable.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Closing the bare HttpClient failed", ex);
			}
		}
	}

}
