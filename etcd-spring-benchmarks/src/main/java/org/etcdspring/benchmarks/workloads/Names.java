package org.etcdspring.benchmarks.workloads;

/**
 * Keys and titles of the workloads.
 *
 * @author etcd-spring
 */
final class Names {

	private Names() {
	}

	/**
	 * One key per caller.
	 * @param prefix the prefix of the keys
	 * @param callers the number of callers
	 * @return {@code prefix + caller} for each caller
	 */
	static String[] perCaller(String prefix, int callers) {
		String[] keys = new String[callers];
		for (int caller = 0; caller < callers; caller++) {
			keys[caller] = prefix + caller;
		}
		return keys;
	}

	/**
	 * The number of callers in words.
	 * @param callers the number of callers
	 * @return such as {@code 1 caller} or {@code 32 callers}
	 */
	static String callers(int callers) {
		return callers + ((callers == 1) ? " caller" : " callers");
	}

	/**
	 * Sleep in a polling loop.
	 * @param millis how long
	 * @throws IllegalStateException when interrupted
	 */
	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
