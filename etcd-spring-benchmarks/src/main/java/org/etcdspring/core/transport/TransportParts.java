package org.etcdspring.core.transport;

import java.net.http.HttpClient;
import java.time.Duration;

import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequestFactory;

/**
 * The package-private parts of {@link EtcdTransport}'s unary call path, opened to the
 * benchmark (this class sits in the transport's package, in the benchmark module only):
 * the request factory, the wire mapping, the byte body and the error parsing, so that
 * {@code UnaryCallPaths} measures RestClient's converters, status handlers and
 * observation on exactly the parts the transport uses, not on copies of them.
 *
 * @author etcd-spring
 */
public final class TransportParts {

	private TransportParts() {
	}

	/**
	 * The transport's request factory: blocking {@code HttpClient.send}, whole bodies.
	 * @param httpClient the JDK client
	 * @param timeout the deadline of a request without the timeout attribute
	 * @return the factory
	 */
	public static ClientHttpRequestFactory requestFactory(HttpClient httpClient, Duration timeout) {
		return new BlockingJdkClientHttpRequestFactory(httpClient, timeout);
	}

	/**
	 * The request attribute that carries each request's deadline.
	 * @return the attribute name
	 */
	public static String timeoutAttribute() {
		return BlockingJdkClientHttpRequestFactory.TIMEOUT_ATTRIBUTE;
	}

	/**
	 * A request body of JSON bytes in hand, sent as they are.
	 * @param bytes the body
	 * @return the body
	 */
	public static StreamingHttpOutputMessage.Body body(byte[] bytes) {
		return BlockingJdkClientHttpRequestFactory.body(bytes);
	}

	/**
	 * The gateway's JSON mapping.
	 * @return a new mapper
	 */
	public static JsonMapper wireMapper() {
		return EtcdTransport.wireMapper();
	}

	/**
	 * What the transport makes of a gateway error answer.
	 * @param status the HTTP status
	 * @param body the answer
	 * @param reader a reader of the wire mapping
	 * @return the failure to throw
	 */
	public static RuntimeException gatewayError(int status, byte[] body, ObjectReader reader) {
		return new IllegalStateException(GatewayError.parse(status, body, reader).message());
	}

}
