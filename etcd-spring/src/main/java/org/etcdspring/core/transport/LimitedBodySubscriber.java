package org.etcdspring.core.transport;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import org.jspecify.annotations.Nullable;

/**
 * Reads a whole response body into an array, as {@code BodySubscribers.ofByteArray()}
 * does, but no more than a limit: as soon as the bytes received exceed it (or the
 * declared {@code Content-Length} does), it cancels the subscription, which closes the
 * connection, drops the buffers it holds and fails with {@link BodyTooLargeException}.
 *
 * @author etcd-spring
 */
final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

	private final long maxBytes;

	private final long declaredLength;

	private final CompletableFuture<byte[]> result = new CompletableFuture<>();

	private List<ByteBuffer> received = new ArrayList<>();

	private long receivedBytes;

	private Flow.@Nullable Subscription subscription;

	private LimitedBodySubscriber(long maxBytes, long declaredLength) {
		this.maxBytes = maxBytes;
		this.declaredLength = declaredLength;
	}

	/**
	 * A body handler whose bodies are read up to the given limit.
	 * @param maxBytes the most bytes of a body
	 * @return the handler
	 */
	static HttpResponse.BodyHandler<byte[]> handler(long maxBytes) {
		return (info) -> new LimitedBodySubscriber(maxBytes,
				info.headers().firstValueAsLong("Content-Length").orElse(-1));
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		this.subscription = subscription;
		if (this.declaredLength > this.maxBytes) {
			exceeded(this.declaredLength);
			return;
		}
		subscription.request(Long.MAX_VALUE);
	}

	@Override
	public void onNext(List<ByteBuffer> buffers) {
		if (this.result.isDone()) {
			return;
		}
		for (ByteBuffer buffer : buffers) {
			this.receivedBytes += buffer.remaining();
		}
		if (this.receivedBytes > this.maxBytes) {
			exceeded(this.receivedBytes);
			return;
		}
		this.received.addAll(buffers);
	}

	private void exceeded(long bytes) {
		Flow.Subscription subscription = this.subscription;
		if (subscription != null) {
			subscription.cancel();
		}
		this.received = new ArrayList<>();
		this.result.completeExceptionally(new BodyTooLargeException(this.maxBytes, bytes));
	}

	@Override
	public void onError(Throwable failure) {
		this.received = new ArrayList<>();
		this.result.completeExceptionally(failure);
	}

	@Override
	public void onComplete() {
		if (this.result.isDone()) {
			return;
		}
		byte[] body = new byte[(int) this.receivedBytes];
		int offset = 0;
		for (ByteBuffer buffer : this.received) {
			int length = buffer.remaining();
			buffer.get(body, offset, length);
			offset += length;
		}
		this.received = new ArrayList<>();
		this.result.complete(body);
	}

	@Override
	public CompletionStage<byte[]> getBody() {
		return this.result;
	}

	/**
	 * A response body was larger than its call may read.
	 */
	static final class BodyTooLargeException extends IOException {

		private final long maxBytes;

		BodyTooLargeException(long maxBytes, long bytes) {
			super("the response body exceeds " + maxBytes + " bytes (" + bytes + " bytes at least)");
			this.maxBytes = maxBytes;
		}

		long maxBytes() {
			return this.maxBytes;
		}

		/**
		 * The exception in a chain of causes, if any.
		 * @param failure the outermost failure
		 * @return the body failure, or {@code null}
		 */
		static @Nullable BodyTooLargeException in(@Nullable Throwable failure) {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				if (cause instanceof BodyTooLargeException tooLarge) {
					return tooLarge;
				}
				if (cause.getCause() == cause) {
					return null;
				}
			}
			return null;
		}

	}

}
