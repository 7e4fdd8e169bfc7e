package org.etcdspring.core.transport;

import org.jspecify.annotations.Nullable;

import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdOutcomeUnknownException;

/**
 * Failures of a batched transaction, restated for each operation in it.
 *
 * @author etcd-spring
 */
final class EtcdBatchFailures {

	private EtcdBatchFailures() {
	}

	static EtcdOutcomeUnknownException outcomeUnknown(EtcdException batchFailure, String operation,
			@Nullable String key) {
		return new EtcdOutcomeUnknownException(GatewayErrorTranslator.describe(operation, key,
				String.valueOf(batchFailure.getEndpoint()))
				+ ": it was sent in a batched transaction whose outcome is unknown (" + batchFailure.getMessage()
				+ "); the write may have been applied", operation, key, batchFailure.getEndpoint(), batchFailure);
	}

}
