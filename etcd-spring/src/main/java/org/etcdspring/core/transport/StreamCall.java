package org.etcdspring.core.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdUnavailableException;

/**
 * One streaming call: a POST whose answer is a line-delimited JSON stream, read
 * asynchronously so that an open stream holds a socket but no thread.
 *
 * @param <R> the message type
 * @author etcd-spring
 */
final class StreamCall<R> implements EtcdStream, Flow.Subscriber<String> {

	private final EtcdRpc<?, R> rpc;

	private final @Nullable String key;

	private final URI endpoint;

	private final ObjectReader lineReader;

	private final ObjectReader errorReader;

	private final StreamObserver<R> observer;

	private final Consumer<URI> onConnectionFailure;

	private final AtomicBoolean finished = new AtomicBoolean();

	private volatile Flow.@Nullable Subscription subscription;

	private volatile @Nullable CompletableFuture<?> response;

	private volatile @Nullable ScheduledFuture<?> firstLineDeadline;

	private volatile long lastMessageNanos = System.nanoTime();

	StreamCall(EtcdRpc<?, R> rpc, @Nullable String key, URI endpoint, ObjectReader lineReader, ObjectReader errorReader,
			StreamObserver<R> observer, Consumer<URI> onConnectionFailure) {
		this.rpc = rpc;
		this.key = key;
		this.endpoint = endpoint;
		this.lineReader = lineReader;
		this.errorReader = errorReader;
		this.observer = observer;
		this.onConnectionFailure = onConnectionFailure;
	}

	static final String REQUIRE_LEADER_HEADER = "Grpc-Metadata-hasleader";

	void start(HttpClient httpClient, byte[] body, @Nullable String token, boolean requireLeader,
			ScheduledExecutorService timer, Duration firstLineTimeout) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(this.endpoint.resolve(this.rpc.path()))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (token != null) {
			builder.header("Authorization", token);
		}
		if (requireLeader) {
			// The gateway passes Grpc-Metadata-* headers on as gRPC metadata: etcd's
			// "hasleader" makes a member without a leader end the stream ("no leader").
			builder.header(REQUIRE_LEADER_HEADER, "true");
		}
		HttpRequest request = builder.build();
		// The stream has no overall deadline, but the server must start answering in
		// time.
		this.firstLineDeadline = timer.schedule(
				() -> fail(new EtcdUnavailableException(describe() + ": no answer within " + firstLineTimeout,
						this.rpc.operation(), this.key, this.endpoint.toString(), null), true),
				firstLineTimeout.toMillis(), TimeUnit.MILLISECONDS);
		this.response = httpClient.sendAsync(request, this::bodyHandler).whenComplete((answer, failure) -> {
			if (failure != null) {
				Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
				fail(new EtcdUnavailableException(describe() + ": " + cause, this.rpc.operation(), this.key,
						this.endpoint.toString(), cause), true);
			}
			else {
				fail(new EtcdUnavailableException(describe() + ": the server ended the stream", this.rpc.operation(),
						this.key, this.endpoint.toString(), null), false);
			}
		});
	}

	private HttpResponse.BodySubscriber<Void> bodyHandler(HttpResponse.ResponseInfo info) {
		if (info.statusCode() == 200) {
			return HttpResponse.BodySubscribers.fromLineSubscriber(this, (subscriber) -> null, StandardCharsets.UTF_8,
					"\n");
		}
		return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), (bytes) -> {
			GatewayError error = GatewayError.parse(info.statusCode(), bytes, this.errorReader);
			fail(GatewayErrorTranslator.translate(error, this.rpc.operation(), this.key, this.endpoint.toString(),
					true), false);
			return null;
		});
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		this.subscription = subscription;
		if (this.finished.get()) {
			subscription.cancel();
		}
		else {
			// The first message; each further one when the observer asks (flow control).
			subscription.request(1);
		}
	}

	@Override
	public void request(long messages) {
		Flow.Subscription subscription = this.subscription;
		if (subscription != null && !this.finished.get()) {
			subscription.request(messages);
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public void onNext(String line) {
		this.lastMessageNanos = System.nanoTime();
		ScheduledFuture<?> deadline = this.firstLineDeadline;
		if (deadline != null) {
			deadline.cancel(false);
			this.firstLineDeadline = null;
		}
		if (this.finished.get()) {
			return;
		}
		if (line.isBlank()) {
			// Not a message: the observer does not count it, so ask for the next line
			// here.
			request(1);
			return;
		}
		Envelope<R> envelope;
		try {
			envelope = this.lineReader.readValue(line);
		}
		catch (JacksonException ex) {
			fail(new EtcdException(describe() + ": unexpected message (" + ex.getOriginalMessage() + ")",
					this.rpc.operation(), this.key, this.endpoint.toString(), ex), false);
			return;
		}
		if (envelope.error() != null) {
			StreamError error = envelope.error();
			fail(GatewayErrorTranslator.translate(
					new GatewayError(error.httpCode(), error.grpcCode(), String.valueOf(error.message())),
					this.rpc.operation(), this.key, this.endpoint.toString(), true), false);
		}
		else if (envelope.result() != null) {
			this.observer.onNext(envelope.result(), this);
		}
		else {
			request(1);
		}
	}

	@Override
	public void onError(Throwable failure) {
		fail(new EtcdUnavailableException(describe() + ": " + failure, this.rpc.operation(), this.key,
				this.endpoint.toString(), failure), true);
	}

	@Override
	public void onComplete() {
		// Reported by the response future, which completes right after.
	}

	private void fail(EtcdException error, boolean connectionFailure) {
		if (this.finished.compareAndSet(false, true)) {
			release();
			if (connectionFailure) {
				this.onConnectionFailure.accept(this.endpoint);
			}
			this.observer.onError(error);
		}
	}

	@Override
	public URI endpoint() {
		return this.endpoint;
	}

	@Override
	public Duration idleTime() {
		return Duration.ofNanos(System.nanoTime() - this.lastMessageNanos);
	}

	@Override
	public void cancel() {
		if (this.finished.compareAndSet(false, true)) {
			release();
		}
	}

	private void release() {
		ScheduledFuture<?> deadline = this.firstLineDeadline;
		if (deadline != null) {
			deadline.cancel(false);
		}
		Flow.Subscription subscription = this.subscription;
		if (subscription != null) {
			subscription.cancel();
		}
		CompletableFuture<?> response = this.response;
		if (response != null) {
			response.cancel(true);
		}
	}

	private String describe() {
		return GatewayErrorTranslator.describe(this.rpc.operation() + " stream", this.key, this.endpoint.toString());
	}

	/**
	 * One line of a gateway stream: a message or an error.
	 */
	record Envelope<R>(@Nullable R result, @Nullable StreamError error) {
	}

	record StreamError(int grpcCode, int httpCode, @Nullable String message) {
	}

}
