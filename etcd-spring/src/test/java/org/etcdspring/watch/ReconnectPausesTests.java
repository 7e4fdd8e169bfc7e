package org.etcdspring.watch;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the pauses of a {@link WatchStream} before it opens a failed stream again.
 */
class ReconnectPausesTests {

	@Test
	void pausesShouldDoubleFrom100MillisecondsUpToTwoSecondsAndStayThere() {
		BackOffExecution pauses = WatchStream.RECONNECT_PAUSES.start();
		assertThat(LongStream.range(0, 8).map((attempt) -> pauses.nextBackOff()).toArray()).containsExactly(100, 200,
				400, 800, 1600, 2000, 2000, 2000);
	}

}
