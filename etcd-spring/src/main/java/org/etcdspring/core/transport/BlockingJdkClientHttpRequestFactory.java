package org.etcdspring.core.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.AbstractBufferingClientHttpRequest;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A request factory that sends each request with the blocking {@link HttpClient#send}
 * and buffered bodies both ways, so a call costs the caller's thread and no other:
 * Spring's {@code JdkClientHttpRequestFactory} streams bodies from a thread of their own
 * and waits on {@code sendAsync}, which on small machines starts threads per request.
 *
 * <p>
 * The whole answer is read inside {@code send}, where an interrupt ends the wait. Read
 * from the JDK's response stream instead, an interrupt that comes while the stream waits
 * for data is swallowed on Java 17, and a caller told to stop goes on.
 *
 * <p>
 * The deadline of each request is the {@link #TIMEOUT_ATTRIBUTE} request attribute.
 *
 * @author etcd-spring
 */
final class BlockingJdkClientHttpRequestFactory implements ClientHttpRequestFactory {

	static final String TIMEOUT_ATTRIBUTE = BlockingJdkClientHttpRequestFactory.class.getName() + ".timeout";

	/** Headers the JDK client sets itself and refuses from callers. */
	private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
			"upgrade");

	private final HttpClient httpClient;

	private final Duration defaultTimeout;

	BlockingJdkClientHttpRequestFactory(HttpClient httpClient, Duration defaultTimeout) {
		this.httpClient = httpClient;
		this.defaultTimeout = defaultTimeout;
	}

	@Override
	public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) {
		return new Request(uri, httpMethod);
	}

	private final class Request extends AbstractBufferingClientHttpRequest {

		private final URI uri;

		private final HttpMethod method;

		Request(URI uri, HttpMethod method) {
			this.uri = uri;
			this.method = method;
		}

		@Override
		public HttpMethod getMethod() {
			return this.method;
		}

		@Override
		public URI getURI() {
			return this.uri;
		}

		@Override
		protected ClientHttpResponse executeInternal(HttpHeaders headers, byte[] body) throws IOException {
			Duration timeout = (Duration) getAttributes().getOrDefault(TIMEOUT_ATTRIBUTE, defaultTimeout);
			HttpRequest.BodyPublisher publisher = (body.length > 0) ? HttpRequest.BodyPublishers.ofByteArray(body)
					: HttpRequest.BodyPublishers.noBody();
			HttpRequest.Builder request = HttpRequest.newBuilder(this.uri)
				.timeout(timeout)
				.method(this.method.name(), publisher);
			headers.forEach((name, values) -> {
				if (!RESTRICTED_HEADERS.contains(name.toLowerCase())) {
					values.forEach((value) -> request.header(name, value));
				}
			});
			try {
				// The whole body is read before send returns: reading it through a stream would
				// swallow interrupts on Java 17 (its HttpResponseInputStream retries an
				// interrupted wait for the next buffer), while send itself honours them.
				return new Response(httpClient.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException("Interrupted while waiting for " + this.uri);
			}
		}

	}

	private static final class Response implements ClientHttpResponse {

		private final HttpResponse<byte[]> response;

		private @Nullable HttpHeaders headers;

		Response(HttpResponse<byte[]> response) {
			this.response = response;
		}

		@Override
		public HttpStatusCode getStatusCode() {
			return HttpStatusCode.valueOf(this.response.statusCode());
		}

		@Override
		public String getStatusText() {
			return "";
		}

		@Override
		public HttpHeaders getHeaders() {
			// Copied only when asked for: the gateway's answers are read by their status and body.
			if (this.headers == null) {
				HttpHeaders headers = new HttpHeaders();
				this.response.headers().map().forEach(headers::addAll);
				this.headers = headers;
			}
			return this.headers;
		}

		@Override
		public InputStream getBody() {
			return new ByteArrayInputStream(this.response.body());
		}

		@Override
		public void close() {
			// The body was read to the end by send(): the connection is back in the pool.
		}

	}

}
