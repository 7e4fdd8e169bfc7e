package org.etcdspring.benchmarks.clients;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.etcdspring.core.transport.EtcdRpc;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.core.transport.Kv;
import org.etcdspring.core.transport.TransportParts;
import org.etcdspring.observation.ObservationEtcdRequestObserver;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.client.RestClient;

/**
 * The unary call of {@code EtcdTransport} (put and linearizable get) made in several ways
 * against one etcd, to price what {@code RestClient} offers and the transport bypasses:
 * its message converters, its status handlers and its observation. Every path but
 * {@link Path#TRANSPORT} sends the same bytes through the same request factory as the
 * transport (its own, reached through {@link TransportParts}) on one shared JDK
 * {@code HttpClient}; they differ only in how the request is written and the answer read.
 *
 * @author etcd-spring
 */
public final class UnaryCallPaths implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/**
	 * The ways of making the call.
	 */
	public enum Path {

		/**
		 * {@code EtcdTransport.call} itself, batching off: failover, deadlines and
		 * logging included.
		 */
		TRANSPORT("transport"),

		/**
		 * {@link #TRANSPORT} with the library's own observation
		 * ({@code etcd.client.requests}, one per call) on a Micrometer meter registry.
		 */
		TRANSPORT_OBSERVED("transport + etcd.client.requests"),

		/**
		 * The transport's exchange alone: JSON bytes written by the wire mapper's writer,
		 * {@code RestClient.exchange}, the status read by hand and the answer by a cached
		 * {@code ObjectReader}.
		 */
		EXCHANGE("exchange (today)"),

		/**
		 * {@link #EXCHANGE} with an observation registry on the {@code RestClient}
		 * ({@code http.client.requests} on a Micrometer meter registry).
		 */
		EXCHANGE_OBSERVED("exchange + RestClient observation"),

		/**
		 * {@code body(request)}, {@code retrieve()}, {@code onStatus(...)} and
		 * {@code body(Class)} through a {@code JacksonJsonHttpMessageConverter} on the
		 * wire mapper (the only converter registered: the cheapest list).
		 */
		CONVERTERS("converters + onStatus"),

		/**
		 * {@link #CONVERTERS} with the observation registry of
		 * {@link #EXCHANGE_OBSERVED}.
		 */
		CONVERTERS_OBSERVED("converters + onStatus + observation");

		private final String label;

		Path(String label) {
			this.label = label;
		}

		/**
		 * The name shown in the results.
		 * @return the label
		 */
		public String label() {
			return this.label;
		}

	}

	private final HttpClient httpClient;

	private final EtcdTransport transport;

	private final EtcdTransport observedTransport;

	private final Map<Path, RestClient> restClients = new EnumMap<>(Path.class);

	private final ObjectWriter writer;

	private final ObjectReader putReader;

	private final ObjectReader rangeReader;

	private final ObjectReader errorReader;

	private final URI put;

	private final URI range;

	/**
	 * Connect every path to one etcd.
	 * @param endpoint the client URL
	 * @param tls the certificates of an {@code https} endpoint, or {@code null}
	 */
	public UnaryCallPaths(String endpoint, ClientTls tls) {
		URI uri = URI.create(endpoint);
		this.put = uri.resolve(EtcdRpc.PUT.path());
		this.range = uri.resolve(EtcdRpc.RANGE.path());
		// What Spring Boot's actuator registers for metrics: a timer per observation
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
		EtcdTransport.Builder transport = EtcdTransport.builder(List.of(uri)).batching(false);
		EtcdTransport.Builder observedTransport = EtcdTransport.builder(List.of(uri))
			.batching(false)
			.requestObserver(new ObservationEtcdRequestObserver(registry));
		// Configured as the transport configures its own
		HttpClient.Builder httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5));
		if (tls != null) {
			transport.sslContext(tls.sslContext());
			observedTransport.sslContext(tls.sslContext());
			httpClient.sslContext(tls.sslContext());
		}
		this.transport = transport.build();
		this.observedTransport = observedTransport.build();
		this.httpClient = httpClient.build();
		JsonMapper mapper = TransportParts.wireMapper();
		this.writer = mapper.writer();
		this.putReader = mapper.readerFor(Kv.PutResponse.class);
		this.rangeReader = mapper.readerFor(Kv.RangeResponse.class);
		this.errorReader = mapper.reader();
		RestClient.Builder plain = RestClient.builder()
			.requestFactory(TransportParts.requestFactory(this.httpClient, TIMEOUT));
		RestClient.Builder converters = plain.clone()
			.messageConverters(List.of(new JacksonJsonHttpMessageConverter(mapper)));
		this.restClients.put(Path.EXCHANGE, plain.clone().build());
		this.restClients.put(Path.EXCHANGE_OBSERVED, plain.clone().observationRegistry(registry).build());
		this.restClients.put(Path.CONVERTERS, converters.clone().build());
		this.restClients.put(Path.CONVERTERS_OBSERVED, converters.clone().observationRegistry(registry).build());
	}

	/**
	 * Put a value.
	 * @param path how
	 * @param key the key
	 * @param value the value
	 */
	public void put(Path path, String key, byte[] value) {
		Kv.PutRequest request = Kv.PutRequest.of(key.getBytes(StandardCharsets.UTF_8), value, 0);
		switch (path) {
			case TRANSPORT -> this.transport.call(EtcdRpc.PUT, request, key);
			case TRANSPORT_OBSERVED -> this.observedTransport.call(EtcdRpc.PUT, request, key);
			case EXCHANGE, EXCHANGE_OBSERVED -> exchange(this.restClients.get(path), this.put, request, this.putReader);
			case CONVERTERS, CONVERTERS_OBSERVED ->
				retrieve(this.restClients.get(path), this.put, request, Kv.PutResponse.class);
		}
	}

	/**
	 * Read a value, linearizably.
	 * @param path how
	 * @param key the key
	 * @return the value, or {@code null} when the key does not exist
	 */
	public byte[] get(Path path, String key) {
		Kv.RangeRequest request = Kv.RangeRequest.of(key.getBytes(StandardCharsets.UTF_8), null, false);
		Kv.RangeResponse response = switch (path) {
			case TRANSPORT -> this.transport.call(EtcdRpc.RANGE, request, key);
			case TRANSPORT_OBSERVED -> this.observedTransport.call(EtcdRpc.RANGE, request, key);
			case EXCHANGE, EXCHANGE_OBSERVED ->
				exchange(this.restClients.get(path), this.range, request, this.rangeReader);
			case CONVERTERS, CONVERTERS_OBSERVED ->
				retrieve(this.restClients.get(path), this.range, request, Kv.RangeResponse.class);
		};
		return response.kvs().isEmpty() ? null : response.kvs().get(0).value();
	}

	/**
	 * As {@code EtcdTransport} makes the exchange.
	 */
	private <R> R exchange(RestClient restClient, URI uri, Object request, ObjectReader reader) {
		return restClient.method(HttpMethod.POST)
			.uri(uri)
			.attribute(TransportParts.timeoutAttribute(), TIMEOUT)
			.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
			.body(TransportParts.body(this.writer.writeValueAsBytes(request)))
			.exchange((clientRequest, response) -> {
				int status = response.getStatusCode().value();
				byte[] payload = response.getBody().readAllBytes();
				if (status / 100 != 2) {
					throw TransportParts.gatewayError(status, payload, this.errorReader);
				}
				return reader.readValue(payload);
			});
	}

	/**
	 * As {@code RestClient} is meant to be used: converters write and read, a status
	 * handler turns error answers into the same failure.
	 */
	private <R> R retrieve(RestClient restClient, URI uri, Object request, Class<R> responseType) {
		return restClient.post()
			.uri(uri)
			.attribute(TransportParts.timeoutAttribute(), TIMEOUT)
			.contentType(MediaType.APPLICATION_JSON)
			.body(request)
			.retrieve()
			.onStatus(HttpStatusCode::isError, (clientRequest, response) -> {
				throw TransportParts.gatewayError(response.getStatusCode().value(), response.getBody().readAllBytes(),
						this.errorReader);
			})
			.body(responseType);
	}

	@Override
	public void close() {
		this.transport.close();
		this.observedTransport.close();
		if (this.httpClient instanceof AutoCloseable closeable) {
			// Java 21 and later
			try {
				closeable.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Closing the HttpClient failed", ex);
			}
		}
	}

}
