package org.etcdspring.test;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link EtcdLocalCluster} and {@link EtcdMember} against the real etcd binary.
 *
 * @author etcd-spring
 */
class EtcdLocalClusterTests {

	@Test
	void startSingleNodeShouldBecomeHealthy() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1)) {
			assertThat(cluster.endpoints()).containsExactly(cluster.endpoint());
			assertThat(cluster.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+");
			assertThat(EtcdHttp.health(cluster.endpoint())).contains("\"health\":\"true\"");
			EtcdHttp.put(cluster.endpoint(), "foo", "bar");
			assertThat(EtcdHttp.range(cluster.endpoint(), "foo")).contains("\"value\":\"YmFy\"");
		}
	}

	@Test
	void closeShouldKillProcessAndDeleteDirectory() {
		EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
		long pid = cluster.member(0).pid();
		Path directory = cluster.directory();
		assertThat(directory).isDirectory();
		cluster.close();
		assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
		assertThat(cluster.member(0).isRunning()).isFalse();
		assertThat(directory).doesNotExist();
		cluster.close();
	}

	@Test
	void closeShouldKillPausedMember() {
		EtcdLocalCluster cluster = EtcdLocalCluster.start(1);
		cluster.member(0).pause();
		long pid = cluster.member(0).pid();
		cluster.close();
		assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
		assertThat(cluster.directory()).doesNotExist();
	}

	@Test
	void pauseShouldMakeRequestsTimeOutUntilResumed() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1)) {
			EtcdMember member = cluster.member(0);
			member.pause();
			assertThat(member.isRunning()).isTrue();
			assertThatExceptionOfType(HttpTimeoutException.class).isThrownBy(() -> EtcdHttp.post(cluster.endpoint(),
					"/v3/kv/range", "{\"key\":\"Zm9v\"}", Duration.ofMillis(500)));
			member.resume();
			EtcdHttp.put(cluster.endpoint(), "foo", "bar");
			assertThat(EtcdHttp.range(cluster.endpoint(), "foo")).contains("\"value\":\"YmFy\"");
		}
	}

	@Test
	void killAndRestartShouldKeepData() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1)) {
			EtcdMember member = cluster.member(0);
			EtcdHttp.put(cluster.endpoint(), "foo", "bar");
			long pid = member.pid();
			member.kill();
			assertThat(member.isRunning()).isFalse();
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> EtcdHttp.health(cluster.endpoint()));
			member.restart();
			assertThat(member.pid()).isNotEqualTo(pid);
			assertThat(EtcdHttp.range(cluster.endpoint(), "foo")).contains("\"value\":\"YmFy\"");
		}
	}

	@Test
	void stopAndRestartShouldKeepData() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1)) {
			EtcdMember member = cluster.member(0);
			EtcdHttp.put(cluster.endpoint(), "foo", "bar");
			member.stop();
			assertThat(member.isRunning()).isFalse();
			member.restart();
			assertThat(EtcdHttp.range(cluster.endpoint(), "foo")).contains("\"value\":\"YmFy\"");
		}
	}

	@Test
	void threeMemberClusterShouldServeWritesWithOneMemberKilled() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(3)) {
			assertThat(cluster.members()).extracting(EtcdMember::name).containsExactly("m0", "m1", "m2");
			assertThat(cluster.endpoints()).doesNotHaveDuplicates().hasSize(3);
			for (String endpoint : cluster.endpoints()) {
				assertThat(EtcdHttp.health(endpoint)).contains("\"health\":\"true\"");
			}
			String killedId = memberId(cluster.member(0).clientEndpoint());
			cluster.member(0).kill();
			awaitLeaderOtherThan(killedId, cluster.member(1).clientEndpoint());
			EtcdHttp.put(cluster.member(1).clientEndpoint(), "foo", "bar");
			assertThat(EtcdHttp.range(cluster.member(2).clientEndpoint(), "foo")).contains("\"value\":\"YmFy\"");
			cluster.member(0).restart();
			cluster.member(0).awaitHealthy(Duration.ofSeconds(30));
			assertThat(EtcdHttp.range(cluster.member(0).clientEndpoint(), "foo")).contains("\"value\":\"YmFy\"");
		}
	}

	@Test
	void startJoiningMemberShouldGrowRunningCluster() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1)) {
			EtcdHttp.put(cluster.endpoint(), "foo", "bar");
			EtcdMember joining = cluster.prepareMember("m1");
			assertThat(etcdctl(cluster.endpoint(), "member", "add", "m1", "--peer-urls=" + joining.peerUrl()))
				.contains("Member", "added to cluster");
			assertThat(cluster.startJoiningMember("m1")).isSameAs(joining);
			assertThat(cluster.members()).containsExactly(cluster.member(0), joining);
			assertThat(etcdctl(cluster.endpoint(), "member", "list")).contains("m0", "m1", joining.peerUrl());
			assertThat(EtcdHttp.range(joining.clientEndpoint(), "foo")).contains("\"value\":\"YmFy\"");
		}
	}

	@Test
	void startJoiningMemberShouldRequirePreparedMember() {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.start(1)) {
			assertThatIllegalStateException().isThrownBy(() -> cluster.startJoiningMember("m1"))
				.withMessageContaining("call prepareMember('m1')");
			assertThatIllegalArgumentException().isThrownBy(() -> cluster.prepareMember("m0"))
				.withMessageContaining("already has a member named 'm0'");
		}
	}

	@Test
	void extraArgsShouldBePassedToEveryMember() throws Exception {
		try (EtcdLocalCluster cluster = EtcdLocalCluster.builder().extraArgs(List.of("--max-txn-ops", "1")).start()) {
			String twoPuts = "{\"success\":[{\"requestPut\":{\"key\":\"YQ==\",\"value\":\"YQ==\"}},"
					+ "{\"requestPut\":{\"key\":\"Yg==\",\"value\":\"Yg==\"}}]}";
			assertThat(EtcdHttp.post(cluster.endpoint(), "/v3/kv/txn", twoPuts, Duration.ofSeconds(10)).body())
				.contains("too many operations in txn request");
		}
	}

	@Test
	void startShouldFailWithLogTailWhenEtcdExits() {
		assertThatIllegalStateException()
			.isThrownBy(() -> EtcdLocalCluster.builder().extraArgs(List.of("--no-such-flag")).start())
			.withMessageContaining("etcd member m0 exited with code")
			.withMessageContaining("--- last lines of m0 log")
			.withMessageContaining("no-such-flag");
	}

	@Test
	void membersShouldBeBetweenOneAndFive() {
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdLocalCluster.builder().members(0))
			.withMessage("An etcd cluster needs 1 to 5 members, not 0");
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdLocalCluster.start(6));
	}

	private static String memberId(String endpoint) throws IOException, InterruptedException {
		Matcher matcher = Pattern.compile("\"member_id\":\"(\\d+)\"").matcher(status(endpoint));
		assertThat(matcher.find()).isTrue();
		return matcher.group(1);
	}

	// A write forwarded to a leader that just died is lost and times out after 7 s
	private static void awaitLeaderOtherThan(String formerLeader, String endpoint) throws Exception {
		Pattern leader = Pattern.compile("\"leader\":\"(\\d+)\"");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (System.nanoTime() < deadline) {
			Matcher matcher = leader.matcher(status(endpoint));
			if (matcher.find() && !matcher.group(1).equals(formerLeader)) {
				return;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("No new leader at " + endpoint);
	}

	private static String status(String endpoint) throws IOException, InterruptedException {
		return EtcdHttp.post(endpoint, "/v3/maintenance/status", "{}", Duration.ofSeconds(5)).body();
	}

	private static String etcdctl(String endpoint, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoint));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("ETCDCTL_API", "3");
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
