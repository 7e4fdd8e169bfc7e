package org.etcdspring.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Clusters {@linkplain EtcdLocalCluster.Builder#closedByOwner closed by their owner}:
 * their members stay out of the terminal's reach (a session of their own), the others do
 * not.
 */
class EtcdLocalClusterOwnerTests {

	@Test
	void ownedClusterShouldRunItsMembersInASessionOfTheirOwn() throws IOException {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.builder().closedByOwner(Duration.ofSeconds(5)).start()) {
			long member = cluster.member(0).pid();
			assertThat(session(member)).as("session of etcd (pid %d)", member)
				.isEqualTo(member)
				.isNotEqualTo(session(ProcessHandle.current().pid()));
		}
	}

	@Test
	void clusterShouldRunItsMembersInTheSessionOfTheJvmByDefault() throws IOException {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1)) {
			assertThat(session(cluster.member(0).pid())).isEqualTo(session(ProcessHandle.current().pid()));
		}
	}

	@Test
	void negativeGracePeriodShouldBeRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EtcdLocalCluster.builder().closedByOwner(Duration.ofSeconds(-1)))
			.withMessageContaining("grace period");
	}

	/**
	 * The session id of a process: the sixth field of {@code /proc/<pid>/stat}, counted
	 * after the command name in parentheses (which may hold spaces).
	 */
	private static long session(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[3]);
	}

}
