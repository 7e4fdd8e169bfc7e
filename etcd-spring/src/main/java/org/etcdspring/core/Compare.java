package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A condition of a transaction on one key: its value, version, create revision, mod
 * revision or lease, compared with an operand. A missing key has version, create and mod
 * revision {@code 0} and fails every value comparison.
 *
 * <pre class="code">
 * etcd.txn()
 *     .when(Compare.modRevision("config").isEqualTo(rev), Compare.value("mode").isEqualTo("live"))
 *     .then(TxnOp.put("config", newConfig))
 *     .commit();
 * </pre>
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Compare {

	/**
	 * What part of the key is compared.
	 */
	public enum Target {

		VALUE, VERSION, CREATE_REVISION, MOD_REVISION, LEASE

	}

	/**
	 * How the key's part and the operand are compared.
	 */
	public enum Operator {

		EQUAL, NOT_EQUAL, GREATER, LESS

	}

	private final String key;

	private final Target target;

	private final Operator operator;

	private final Object operand;

	private final @Nullable String rangePrefix;

	private Compare(String key, @Nullable String rangePrefix, Target target, Operator operator, Object operand) {
		Assert.notNull(operand, "compared value must not be null");
		this.key = key;
		this.rangePrefix = rangePrefix;
		this.target = target;
		this.operator = operator;
		this.operand = operand;
	}

	/**
	 * Compare the key's value; operands are converted like stored values.
	 * @param key the key
	 * @return the operand step
	 */
	public static Operand<Object> value(String key) {
		return new Operand<>(key, Target.VALUE);
	}

	/**
	 * Compare the key's version (number of changes since creation; 0 when missing).
	 * @param key the key
	 * @return the operand step
	 */
	public static Operand<Long> version(String key) {
		return new Operand<>(key, Target.VERSION);
	}

	/**
	 * Compare the revision at which the key was created (0 when missing).
	 * @param key the key
	 * @return the operand step
	 */
	public static Operand<Long> createRevision(String key) {
		return new Operand<>(key, Target.CREATE_REVISION);
	}

	/**
	 * Compare the revision of the key's last change (0 when missing).
	 * @param key the key
	 * @return the operand step
	 */
	public static Operand<Long> modRevision(String key) {
		return new Operand<>(key, Target.MOD_REVISION);
	}

	/**
	 * Compare the ID of the lease the key is attached to (0 for none).
	 * @param key the key
	 * @return the operand step
	 */
	public static Operand<Long> lease(String key) {
		return new Operand<>(key, Target.LEASE);
	}

	/**
	 * Holds when the key exists.
	 * @param key the key
	 * @return the condition
	 */
	public static Compare exists(String key) {
		return createRevision(key).isGreaterThan(0L);
	}

	/**
	 * Holds when the key does not exist.
	 * @param key the key
	 * @return the condition
	 */
	public static Compare absent(String key) {
		return createRevision(key).isEqualTo(0L);
	}

	public String key() {
		return this.key;
	}

	public Target target() {
		return this.target;
	}

	public Operator operator() {
		return this.operator;
	}

	public Object operand() {
		return this.operand;
	}

	/**
	 * The prefix whose end bounds the compared key range, or {@code null} when only
	 * {@link #key()} is compared.
	 * @return the range prefix
	 */
	public @Nullable String rangePrefix() {
		return this.rangePrefix;
	}

	@Override
	public String toString() {
		return this.target + "(" + PrintableKey.of(this.key)
				+ ((this.rangePrefix != null) ? ".." + PrintableKey.of(this.rangePrefix) + "*" : "") + ") "
				+ this.operator + " " + ((this.target != Target.VALUE) ? this.operand : "(a value)");
	}

	/**
	 * The second step of a comparison: the operator and the operand.
	 *
	 * @param <T> the operand type
	 */
	public static final class Operand<T> {

		private final String key;

		private final Target target;

		private final @Nullable String rangePrefix;

		private Operand(String key, Target target) {
			this(key, target, null);
		}

		private Operand(String key, Target target, @Nullable String rangePrefix) {
			Namespace.checkKey(key, "key");
			this.key = key;
			this.target = target;
			this.rangePrefix = rangePrefix;
		}

		/**
		 * Compare every key from this operand's key up to the last key that starts with
		 * the prefix; the condition holds only if it holds for each of them (and on an
		 * empty range, a create revision compare with {@code 0} holds).
		 * @param prefix the prefix whose end bounds the range
		 * @return an operand over the range
		 */
		public Operand<T> throughPrefix(String prefix) {
			Namespace.checkKey(prefix, "prefix");
			return new Operand<>(this.key, this.target, prefix);
		}

		public Compare isEqualTo(T operand) {
			return new Compare(this.key, this.rangePrefix, this.target, Operator.EQUAL, operand);
		}

		public Compare isNotEqualTo(T operand) {
			return new Compare(this.key, this.rangePrefix, this.target, Operator.NOT_EQUAL, operand);
		}

		public Compare isGreaterThan(T operand) {
			return new Compare(this.key, this.rangePrefix, this.target, Operator.GREATER, operand);
		}

		public Compare isLessThan(T operand) {
			return new Compare(this.key, this.rangePrefix, this.target, Operator.LESS, operand);
		}

	}

}
