package org.etcdspring.benchmarks.clients;

/**
 * Counts of the transactions in which etcd-spring's transport sent more than one
 * operation.
 *
 * @param batches the transactions
 * @param operations the operations they carried
 * @author etcd-spring
 */
public record Batches(long batches, long operations) {

	/**
	 * The batches sent since an earlier count.
	 * @param earlier the earlier count
	 * @return the difference
	 */
	public Batches since(Batches earlier) {
		return new Batches(this.batches - earlier.batches, this.operations - earlier.operations);
	}

}
