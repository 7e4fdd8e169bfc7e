package org.etcdspring.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The checks of duration arguments shared by the library's builders and entry points, so
 * that every one says the same thing about the same mistake.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * Check that a duration is given and longer than zero.
	 * @param duration the duration
	 * @param subject what the messages call it: the argument's name in quotes
	 * ({@code "'timeout'"}) or the words a user knows it by ({@code "lease TTL"})
	 * @return the duration
	 * @throws IllegalArgumentException if it is {@code null}, zero or negative
	 */
	public static Duration requirePositive(@Nullable Duration duration, String subject) {
		Assert.notNull(duration, () -> subject + " must not be null");
		Assert.isTrue(!duration.isNegative() && !duration.isZero(),
				() -> subject + " must be positive, was " + duration);
		return duration;
	}

}
