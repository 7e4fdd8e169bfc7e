package org.etcdspring.core.transport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.AbstractClientHttpRequest;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A request factory that sends each request with the blocking {@link HttpClient#send} and
 * whole bodies both ways (a {@link #body(byte[]) body of bytes} goes out as it is), so a
 * call costs the caller's thread and no other: Spring's
 * {@code JdkClientHttpRequestFactory} streams bodies from a thread of their own and waits
 * on {@code sendAsync}, which on small machines starts threads per request.
 *
 * <p>
 * The whole answer is read inside {@code send}, where an interrupt ends the wait. Read
 * from the JDK's response stream instead, an interrupt that comes while the stream waits
 * for data is swallowed on Java 17, and a caller told to stop goes on.
 *
 * <p>
 * The deadline of each request is the {@link #TIMEOUT_ATTRIBUTE} request attribute. A
 * request with the {@link #MAX_RESPONSE_BYTES_ATTRIBUTE} attribute reads no more of the
 * response body than that: a larger one fails with
 * {@link LimitedBodySubscriber.BodyTooLargeException} as soon as it passes the limit.
 *
 * @author etcd-spring
 */
final class BlockingJdkClientHttpRequestFactory implements ClientHttpRequestFactory {

	static final String TIMEOUT_ATTRIBUTE = BlockingJdkClientHttpRequestFactory.class.getName() + ".timeout";

	static final String MAX_RESPONSE_BYTES_ATTRIBUTE = BlockingJdkClientHttpRequestFactory.class.getName()
			+ ".maxResponseBytes";

	/** Headers the JDK client sets itself and refuses from callers. */
	private static final Set<String> RESTRICTED_HEADERS = restrictedHeaders();

	private final HttpClient httpClient;

	private final Duration defaultTimeout;

	BlockingJdkClientHttpRequestFactory(HttpClient httpClient, Duration defaultTimeout) {
		this.httpClient = httpClient;
		this.defaultTimeout = defaultTimeout;
	}

	/**
	 * Compared ignoring case without lower-casing each name of each request.
	 */
	private static Set<String> restrictedHeaders() {
		Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		names.addAll(Set.of("connection", "content-length", "expect", "host", "upgrade"));
		return Collections.unmodifiableSet(names);
	}

	@Override
	public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) {
		return new Request(uri, httpMethod);
	}

	/**
	 * A request body of bytes in hand, sent as they are: no buffer, no copy.
	 * @param bytes the body
	 * @return the body for {@code RestClient.RequestBodySpec.body}
	 */
	static StreamingHttpOutputMessage.Body body(byte[] bytes) {
		return new BytesBody(bytes);
	}

	private record BytesBody(byte[] bytes) implements StreamingHttpOutputMessage.Body {

		@Override
		public void writeTo(OutputStream outputStream) throws IOException {
			outputStream.write(this.bytes);
		}

		@Override
		public boolean repeatable() {
			return true;
		}

	}

	private final class Request extends AbstractClientHttpRequest implements StreamingHttpOutputMessage {

		private final URI uri;

		private final HttpMethod method;

		private @Nullable Body body;

		private @Nullable ByteArrayOutputStream written;

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
		public void setBody(Body body) {
			assertNotExecuted();
			this.body = body;
		}

		@Override
		protected OutputStream getBodyInternal(HttpHeaders headers) {
			if (this.written == null) {
				this.written = new ByteArrayOutputStream();
			}
			return this.written;
		}

		@Override
		protected ClientHttpResponse executeInternal(HttpHeaders headers) throws IOException {
			Duration timeout = (Duration) getAttributes().getOrDefault(TIMEOUT_ATTRIBUTE, defaultTimeout);
			byte[] body = bodyBytes();
			HttpRequest.BodyPublisher publisher = (body.length > 0) ? HttpRequest.BodyPublishers.ofByteArray(body)
					: HttpRequest.BodyPublishers.noBody();
			HttpRequest.Builder request = HttpRequest.newBuilder(this.uri)
				.timeout(timeout)
				.method(this.method.name(), publisher);
			headers.forEach((name, values) -> {
				if (!RESTRICTED_HEADERS.contains(name)) {
					values.forEach((value) -> request.header(name, value));
				}
			});
			// The whole body is read before the answer is handed over: reading it through
			// a
			// stream would swallow interrupts on Java 17 (its HttpResponseInputStream
			// retries
			// an interrupted wait for the next buffer).
			Long maxResponseBytes = (Long) getAttributes().get(MAX_RESPONSE_BYTES_ATTRIBUTE);
			HttpResponse.BodyHandler<byte[]> bodyHandler = (maxResponseBytes != null)
					? LimitedBodySubscriber.handler(maxResponseBytes) : HttpResponse.BodyHandlers.ofByteArray();
			CompletableFuture<HttpResponse<byte[]>> exchange = httpClient.sendAsync(request.build(), bodyHandler);
			try {
				return new Response(exchange.get());
			}
			catch (ExecutionException ex) {
				throw failure(ex.getCause());
			}
			catch (InterruptedException ex) {
				// The exchange is left to end on its own, within its timeout. Cancelling
				// it,
				// as HttpClient.send does, closes its connection, which the client may
				// already have handed to another caller's exchange: that caller's request
				// would fail for this thread's interrupt.
				Thread.currentThread().interrupt();
				throw new InterruptedIOException("Interrupted while waiting for " + this.uri);
			}
		}

		private static IOException failure(@Nullable Throwable cause) {
			if (cause instanceof IOException io) {
				// The client wraps what the body subscriber failed with: say it plainly.
				LimitedBodySubscriber.BodyTooLargeException tooLarge = LimitedBodySubscriber.BodyTooLargeException
					.in(io);
				return (tooLarge != null) ? tooLarge : io;
			}
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			return new IOException(cause);
		}

		private byte[] bodyBytes() throws IOException {
			if (this.body instanceof BytesBody bytes) {
				return bytes.bytes();
			}
			ByteArrayOutputStream output = (this.written != null) ? this.written : new ByteArrayOutputStream();
			if (this.body != null) {
				this.body.writeTo(output);
			}
			return output.toByteArray();
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
			// Copied only when asked for: the gateway's answers are read by their status
			// and body.
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
