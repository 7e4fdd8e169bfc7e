package org.etcdspring.stm;

import org.jspecify.annotations.Nullable;

/**
 * The body of an {@link EtcdStm} transaction. It may run several times (once per
 * attempt), so it must have no side effects: read and write only through the
 * {@link StmTransaction}, and act on its result after
 * {@link org.etcdspring.EtcdOperations#stm(StmFunction) stm} returns.
 *
 * @param <T> the type of the result
 * @author etcd-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface StmFunction<T> {

	/**
	 * Run one attempt.
	 * @param tx reads and writes of this attempt
	 * @return the result, returned by {@code stm} when this attempt commits
	 */
	@Nullable T apply(StmTransaction tx);

}
