package org.etcdspring.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * A key prefix applied to every key a client writes or reads, and stripped from every key
 * it returns, so several applications can share one etcd cluster without seeing each
 * other's keys.
 *
 * <p>
 * A namespace ends with the separator {@code /}: {@code /ns} becomes {@code /ns/} (with a
 * warning), so that it never covers a sibling such as {@code /ns0}. A namespace keeps
 * well-behaved clients apart; it is not a security boundary: whoever can reach the
 * cluster with the same credentials can read and write outside it. Use etcd's role-based
 * access control (a user whose role grants only the namespace's key range) to enforce it.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Namespace {

	/**
	 * No prefix: keys are used as given.
	 */
	public static final Namespace NONE = new Namespace("");

	/**
	 * The separator a namespace ends with.
	 */
	public static final String SEPARATOR = "/";

	private static final Log logger = LogFactory.getLog(Namespace.class);

	private static final byte[] ALL_KEYS_END = { 0 };

	private final String prefix;

	private final byte[] prefixBytes;

	private Namespace(String prefix) {
		this.prefix = prefix;
		this.prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A namespace of the given prefix, such as {@code "/myapp/"}. A prefix that does not
	 * end with {@value #SEPARATOR} gets one, with a warning.
	 * @param prefix the prefix; empty for none
	 * @return the namespace
	 */
	public static Namespace of(String prefix) {
		Assert.notNull(prefix, "'prefix' must not be null");
		if (prefix.isEmpty()) {
			return NONE;
		}
		checkKey(prefix, "namespace");
		if (!prefix.endsWith(SEPARATOR)) {
			logger.warn("etcd namespace '" + PrintableKey.of(prefix) + "' does not end with '" + SEPARATOR
					+ "'; using '" + PrintableKey.of(prefix + SEPARATOR) + "' so that it does not cover sibling keys"
					+ " such as '" + PrintableKey.of(prefix + "0") + "'");
			return new Namespace(prefix + SEPARATOR);
		}
		return new Namespace(prefix);
	}

	/**
	 * The prefix.
	 * @return the prefix, empty for none
	 */
	public String prefix() {
		return this.prefix;
	}

	/**
	 * The etcd key for a key of this namespace.
	 * @param key a non-empty key
	 * @return the prefixed key in UTF-8
	 */
	public byte[] encode(String key) {
		checkKey(key, "key");
		return encodeUnchecked(key);
	}

	/**
	 * The etcd key that ends the range of keys starting with the given prefix.
	 * @param prefix a non-empty key prefix
	 * @return the range end
	 */
	public byte[] rangeEnd(String prefix) {
		checkKey(prefix, "prefix");
		return rangeEndOf(encodeUnchecked(prefix));
	}

	/**
	 * The key of this namespace for an etcd key: the prefix stripped.
	 * @param etcdKey the stored key in UTF-8
	 * @return the key without the prefix
	 */
	public String decode(byte[] etcdKey) {
		String key = new String(etcdKey, StandardCharsets.UTF_8);
		return key.startsWith(this.prefix) ? key.substring(this.prefix.length()) : key;
	}

	/**
	 * Whether an etcd key lies inside this namespace.
	 * @param etcdKey the stored key in UTF-8
	 * @return whether it starts with the prefix; always {@code true} without a namespace
	 */
	public boolean contains(byte[] etcdKey) {
		return etcdKey.length >= this.prefixBytes.length
				&& Arrays.equals(etcdKey, 0, this.prefixBytes.length, this.prefixBytes, 0, this.prefixBytes.length);
	}

	/**
	 * The full etcd key as text, as named in logs and errors.
	 * @param key a key of this namespace
	 * @return the prefixed key
	 */
	public String describe(String key) {
		return this.prefix + key;
	}

	private byte[] encodeUnchecked(String key) {
		if (this.prefixBytes.length == 0) {
			return key.getBytes(StandardCharsets.UTF_8);
		}
		byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
		byte[] result = Arrays.copyOf(this.prefixBytes, this.prefixBytes.length + keyBytes.length);
		System.arraycopy(keyBytes, 0, result, this.prefixBytes.length, keyBytes.length);
		return result;
	}

	/**
	 * The smallest key greater than every key that starts with the prefix: the prefix
	 * with its last byte below 0xff incremented and the rest dropped.
	 * @param prefix the prefix bytes
	 * @return the range end; {@code "\0"} (every key) when the prefix is all 0xff
	 */
	public static byte[] rangeEndOf(byte[] prefix) {
		for (int i = prefix.length - 1; i >= 0; i--) {
			if (prefix[i] != (byte) 0xff) {
				byte[] end = Arrays.copyOf(prefix, i + 1);
				end[i]++;
				return end;
			}
		}
		return ALL_KEYS_END.clone();
	}

	/**
	 * Reject a null or empty key, or one that is not well-formed UTF-16 (an unpaired
	 * surrogate would be stored as {@code ?} and alias other keys), with a message that
	 * names it.
	 * @param key the key
	 * @param name what the key is, such as {@code "key"} or {@code "prefix"}
	 */
	public static void checkKey(String key, String name) {
		Assert.isTrue(key != null && !key.isEmpty(), () -> "etcd " + name + " must not be null or empty");
		int malformed = indexOfUnpairedSurrogate(key);
		Assert.isTrue(malformed < 0,
				() -> "etcd " + name + " '" + PrintableKey.of(key)
						+ "' is not valid UTF-16: an unpaired surrogate at index " + malformed
						+ " (it cannot be encoded as UTF-8)");
	}

	private static int indexOfUnpairedSurrogate(String key) {
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return i;
			}
		}
		return -1;
	}

	@Override
	public String toString() {
		return this.prefix.isEmpty() ? "(no namespace)" : this.prefix;
	}

}
