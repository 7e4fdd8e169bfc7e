package org.etcdspring.core.transport;

import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdOutcomeUnknownException;
import org.etcdspring.core.EtcdTimeoutException;

/**
 * What one caller of a batch is told when its own wait ends before its batch does, or
 * when the batch fails otherwise than by an answer of etcd: whether its operation was
 * sent, and for a write whether it may have been applied.
 *
 * @author etcd-spring
 */
final class EtcdBatchFailures {

	private static final String WRITE_MAY_HAVE_APPLIED = "; the write may have been applied";

	private EtcdBatchFailures() {
	}

	/**
	 * The call's deadline passed while the operation waited.
	 * @param sent whether it had gone out in a batch
	 */
	static EtcdTimeoutException timedOut(String operation, @Nullable String key, boolean write, boolean sent) {
		String where = GatewayErrorTranslator.describe(operation, key);
		if (!sent) {
			return new EtcdTimeoutException(where + ": its deadline passed while it waited to be sent; it was not sent",
					operation, key, null, null);
		}
		return new EtcdTimeoutException(
				where + ": no answer to its batch within its deadline" + (write ? WRITE_MAY_HAVE_APPLIED : ""),
				operation, key, null, null);
	}

	/**
	 * The caller was interrupted while the operation waited.
	 * @param sent whether it had gone out in a batch
	 */
	static EtcdException interrupted(String operation, @Nullable String key, boolean write, boolean sent) {
		String where = GatewayErrorTranslator.describe(operation, key);
		if (!sent) {
			return new EtcdException(where + ": interrupted while it waited to be sent; it was not sent", operation,
					key, null, null);
		}
		if (write) {
			return new EtcdOutcomeUnknownException(
					where + ": interrupted while its batch was in flight" + WRITE_MAY_HAVE_APPLIED, operation, key,
					null, null);
		}
		return new EtcdException(where + ": interrupted while waiting for the answer", operation, key, null, null);
	}

	/**
	 * No thread could be had to send the batch: the transport is closed
	 * ({@link RejectedExecutionException}), or starting a thread failed.
	 */
	static EtcdException notSent(String operation, @Nullable String key, Throwable cause) {
		String why = (cause instanceof RejectedExecutionException) ? "the etcd transport is closed"
				: "no thread could be had to send its batch (" + cause + ")";
		return new EtcdException(GatewayErrorTranslator.describe(operation, key) + ": " + why + "; it was not sent",
				operation, key, null, cause);
	}

	/**
	 * The batch failed otherwise than by an answer of etcd (an {@link Error}, a bug): a
	 * write may have been applied.
	 */
	static EtcdException failed(String operation, @Nullable String key, boolean write, Throwable cause) {
		String where = GatewayErrorTranslator.describe(operation, key);
		if (write) {
			return new EtcdOutcomeUnknownException(
					where + ": its batch failed (" + cause + ")" + WRITE_MAY_HAVE_APPLIED, operation, key, null, cause);
		}
		return new EtcdException(where + ": its batch failed (" + cause + ")", operation, key, null, cause);
	}

}
