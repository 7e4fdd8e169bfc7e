package org.etcdspring.boot.config;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the pauses of {@link EtcdConfigWatcher} before a live reload tries to start
 * again.
 */
class ConfigReloadRetryPausesTests {

	@Test
	void pausesShouldDoubleFromTwoSecondsUpToThirtySecondsAndStayThere() {
		BackOffExecution pauses = EtcdConfigWatcher.RETRY_PAUSES.start();
		assertThat(LongStream.range(0, 7).map((attempt) -> pauses.nextBackOff()).toArray()).containsExactly(2000, 4000,
				8000, 16000, 30000, 30000, 30000);
	}

}
