package org.etcdspring.benchmarks.clients;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for jetcd's futures with the same deadline that the HTTP clients put on each
 * request.
 *
 * @author etcd-spring
 */
final class Futures {

	static final long TIMEOUT_SECONDS = 10;

	private Futures() {
	}

	static <T> T join(CompletableFuture<T> future) {
		try {
			return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for jetcd", ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("jetcd call failed: " + ex.getCause(), ex.getCause());
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new IllegalStateException("jetcd call did not complete within " + TIMEOUT_SECONDS + " s", ex);
		}
	}

}
