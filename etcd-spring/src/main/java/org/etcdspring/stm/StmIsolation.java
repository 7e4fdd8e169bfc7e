package org.etcdspring.stm;

/**
 * How isolated an {@link EtcdStm} transaction is from concurrent writers: the levels of
 * etcd's Go {@code concurrency.STM}. Every level applies its writes atomically, all or
 * none, in one revision.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public enum StmIsolation {

	/**
	 * The default and the strongest. Every read sees the store at one revision (that of
	 * the first read), and the commit succeeds only if no key read <em>or written</em>
	 * changed after that revision. The transaction behaves as if it ran alone at one
	 * instant: no lost update, no write skew, no read of a half-finished write of another
	 * transaction, and its reads are consistent with each other while the function runs.
	 */
	SERIALIZABLE_SNAPSHOT,

	/**
	 * Every read sees the store at the revision of the first read, and the commit
	 * succeeds only if every key read is still as it was read. Keys written without being
	 * read are not checked, so two transactions that blindly write the same key both
	 * succeed (the later one wins); reads are consistent with each other.
	 */
	SERIALIZABLE,

	/**
	 * Each key is read at the current revision when first read (later reads of it repeat
	 * the first answer), and the commit succeeds only if every key read is still as it
	 * was read. The committed result is serializable, but while the function runs, two
	 * keys read at different moments may reflect different revisions (the function may
	 * see a state that never existed, and must cope with it; the commit then fails and
	 * the function runs again).
	 */
	REPEATABLE_READS,

	/**
	 * Each key is read at the current revision; the commit checks nothing and always
	 * succeeds. Only the atomicity of the writes is guaranteed: updates of other writers
	 * between a read and the commit are overwritten (lost updates are possible).
	 */
	READ_COMMITTED

}
