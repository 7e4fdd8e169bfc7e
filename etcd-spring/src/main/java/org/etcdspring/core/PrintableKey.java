package org.etcdspring.core;

import org.jspecify.annotations.Nullable;

/**
 * Turns a key into text that is safe to print in a log line, an exception message or a
 * span tag: control characters (line breaks included), line separators, unpaired
 * surrogates and the backslash are escaped, so a key cannot forge a log line, and a long
 * key is cut after {@value #MAX_LENGTH} characters with its full length appended, so a
 * megabyte key does not make a megabyte message. Every place that prints a key goes
 * through here.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class PrintableKey {

	/**
	 * How many characters of a key are printed before it is cut.
	 */
	public static final int MAX_LENGTH = 256;

	private PrintableKey() {
	}

	/**
	 * The printable form of a key: escaped, and cut after {@value #MAX_LENGTH} characters
	 * with {@code "... (N chars)"} appended.
	 * @param key the key, as given or decoded
	 * @return the printable text; {@code "null"} for {@code null}
	 */
	public static String of(@Nullable String key) {
		if (key == null) {
			return "null";
		}
		int printed = Math.min(key.length(), MAX_LENGTH);
		if (printed < key.length() && Character.isHighSurrogate(key.charAt(printed - 1))
				&& Character.isLowSurrogate(key.charAt(printed))) {
			// Do not cut a pair in two.
			printed--;
		}
		StringBuilder text = new StringBuilder(printed + 24);
		for (int i = 0; i < printed; i++) {
			char c = key.charAt(i);
			switch (c) {
				case '\\' -> text.append("\\\\");
				case '\n' -> text.append("\\n");
				case '\r' -> text.append("\\r");
				case '\t' -> text.append("\\t");
				default -> {
					if (needsEscape(key, i, c)) {
						text.append(String.format("\\u%04x", (int) c));
					}
					else {
						text.append(c);
					}
				}
			}
		}
		if (key.length() > MAX_LENGTH) {
			text.append("... (").append(key.length()).append(" chars)");
		}
		return text.toString();
	}

	private static boolean needsEscape(String key, int index, char c) {
		if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085') {
			return true;
		}
		if (Character.isHighSurrogate(c)) {
			return index + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(index + 1));
		}
		if (Character.isLowSurrogate(c)) {
			return index == 0 || !Character.isHighSurrogate(key.charAt(index - 1));
		}
		return false;
	}

}
