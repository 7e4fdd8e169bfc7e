package org.etcdspring.core.transport;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the pauses of {@link EtcdTransport} between rounds over the endpoints.
 */
class RoundPausesTests {

	@Test
	void pausesShouldDoubleFrom50MillisecondsUpToOneSecondAndStayThere() {
		BackOffExecution pauses = EtcdTransport.ROUND_PAUSES.start();
		assertThat(LongStream.range(0, 9).map((round) -> pauses.nextBackOff()).toArray()).containsExactly(50, 100, 200,
				400, 800, 1000, 1000, 1000, 1000);
	}

	@Test
	void everyCallShouldStartFromTheFirstPause() {
		EtcdTransport.ROUND_PAUSES.start().nextBackOff();
		assertThat(EtcdTransport.ROUND_PAUSES.start().nextBackOff()).isEqualTo(50);
	}

}
