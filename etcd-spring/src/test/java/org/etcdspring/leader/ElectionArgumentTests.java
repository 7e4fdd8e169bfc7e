package org.etcdspring.leader;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Bad arguments of elections fail with {@link IllegalArgumentException} before any I/O:
 * the transport points at a port where nothing listens.
 */
class ElectionArgumentTests {

	private final EtcdTransport transport = EtcdTransport.builder(List.of(URI.create("http://127.0.0.1:1"))).build();

	private final EtcdTemplate template = new EtcdTemplate(this.transport);

	private final Election election = this.template.election("role");

	@AfterEach
	void close() {
		this.template.close();
		this.transport.close();
	}

	@Test
	void roleWithSlashShouldBeRejectedWithTheReason() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.election("billing/eu"))
			.withMessageContaining("'billing/eu'")
			.withMessageContaining("must not contain '/'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.election(""))
			.withMessage("etcd election role must not be null or empty");
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.election(null));
	}

	@Test
	void badCampaignArgumentsShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.election.campaign(null, Duration.ofSeconds(1)))
			.withMessage("election value must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.election.campaign("v", Duration.ofSeconds(-1)))
			.withMessageContaining("timeout");
		assertThatIllegalArgumentException().isThrownBy(() -> this.election.campaign("v", null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.election.campaign(null, "v", Duration.ofSeconds(1)))
			.withMessageContaining("session");
	}

	@Test
	void badSimpleCallArgumentsShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.election.trySetOrRenew("v", Duration.ZERO))
			.withMessageContaining("TTL");
		assertThatIllegalArgumentException().isThrownBy(() -> this.election.trySetOrRenew(null, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> this.election.delete(null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.election.observe(null));
	}

	@Test
	void badSettingsShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.setElectionPrefix(null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.template.setElectionTtl(Duration.ZERO));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ParticipantSession(this.template.leases(), Duration.ofSeconds(-1)));
	}

}
