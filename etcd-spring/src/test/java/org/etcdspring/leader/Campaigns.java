package org.etcdspring.leader;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Campaigns that tests run on threads of their own.
 */
final class Campaigns {

	private Campaigns() {
	}

	static CompletableFuture<Optional<Leadership>> inBackground(Election election, String value, Duration timeout) {
		CompletableFuture<Optional<Leadership>> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(election.campaign(value, timeout));
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		}, "campaign-" + value);
		thread.setDaemon(true);
		thread.start();
		return result;
	}

}
