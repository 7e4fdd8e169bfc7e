package org.etcdspring.core.transport;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster, maintenance and discovery messages as etcd 3.4.23 and 3.5.30 write them
 * (recorded from those servers), read by one code path.
 */
class ClusterWireFormatTests {

	private final JsonMapper mapper = EtcdTransport.wireMapper();

	@Test
	void memberListOf34ShouldReadProtobufFieldNames() {
		Cluster.MemberListResponse response = read("""
				{"header":{"cluster_id":"13455796455940752355","member_id":"443629905751424238","raft_term":"2"},
				 "members":[{"ID":"443629905751424238","name":"p0","peerURLs":["http://127.0.0.1:32380"],
				 "clientURLs":["http://127.0.0.1:32379"]}]}
				""", Cluster.MemberListResponse.class);
		assertThat(response.header().clusterId()).isEqualTo(Long.parseUnsignedLong("13455796455940752355"));
		Cluster.Member member = response.members().get(0);
		assertThat(member.id()).isEqualTo(443629905751424238L);
		assertThat(member.name()).isEqualTo("p0");
		assertThat(member.peerUrls()).containsExactly("http://127.0.0.1:32380");
		assertThat(member.clientUrls()).containsExactly("http://127.0.0.1:32379");
		assertThat(member.learner()).isFalse();
	}

	@Test
	void memberListOf35ShouldReadAnUnstartedLearnerWithAnIdAboveLongMax() {
		Cluster.MemberListResponse response = read("""
				{"header":{"cluster_id":"13455796455940752355", "member_id":"443629905751424238", "raft_term":"2"},
				 "members":[{"ID":"443629905751424238", "name":"p0", "peerURLs":["http://127.0.0.1:32380"],
				 "clientURLs":["http://127.0.0.1:32379"]},
				 {"ID":"17895734319705718137", "peerURLs":["http://127.0.0.1:32390"], "isLearner":true}]}
				""", Cluster.MemberListResponse.class);
		Cluster.Member learner = response.members().get(1);
		assertThat(Long.toUnsignedString(learner.id())).isEqualTo("17895734319705718137");
		assertThat(Long.toHexString(learner.id())).isEqualTo("f85a6b8c50d37d79");
		assertThat(learner.name()).isEmpty();
		assertThat(learner.clientUrls()).isEmpty();
		assertThat(learner.learner()).isTrue();
	}

	@Test
	void peerMembersShouldReadIdsWrittenAsJsonNumbers() {
		Cluster.Member[] members = read(
				"""
						[{"id":443629905751424238,"peerURLs":["http://127.0.0.1:32380"],"name":"p0","clientURLs":["http://127.0.0.1:32379"]},
						 {"id":17895734319705718137,"peerURLs":["http://127.0.0.1:32390"],"isLearner":true}]
						""",
				Cluster.Member[].class);
		assertThat(members[0].id()).isEqualTo(443629905751424238L);
		assertThat(members[0].clientUrls()).containsExactly("http://127.0.0.1:32379");
		assertThat(Long.toUnsignedString(members[1].id())).isEqualTo("17895734319705718137");
		assertThat(members[1].learner()).isTrue();
	}

	@Test
	void statusOf34ShouldReadEveryField() {
		Maintenance.StatusResponse status = read(
				"""
						{"header":{"cluster_id":"13455796455940752355","member_id":"443629905751424238","revision":"1","raft_term":"2"},
						 "version":"3.4.23","dbSize":"20480","leader":"443629905751424238","raftIndex":"4","raftTerm":"2",
						 "raftAppliedIndex":"4","dbSizeInUse":"16384"}
						""",
				Maintenance.StatusResponse.class);
		assertThat(status.header().memberId()).isEqualTo(443629905751424238L);
		assertThat(status.version()).isEqualTo("3.4.23");
		assertThat(status.dbSize()).isEqualTo(20480);
		assertThat(status.dbSizeInUse()).isEqualTo(16384);
		assertThat(status.leader()).isEqualTo(443629905751424238L);
		assertThat(status.raftIndex()).isEqualTo(4);
		assertThat(status.raftAppliedIndex()).isEqualTo(4);
		assertThat(status.raftTerm()).isEqualTo(2);
		assertThat(status.errors()).isEmpty();
	}

	@Test
	void statusOf35WithoutALeaderShouldReadTheErrors() {
		Maintenance.StatusResponse status = read("""
				{"header":{"cluster_id":"1477649096943421817", "member_id":"3153953936179183642", "revision":"4",
				 "raft_term":"3"}, "version":"3.5.30", "dbSize":"20480", "raftIndex":"12", "raftTerm":"3",
				 "raftAppliedIndex":"12", "errors":["etcdserver: no leader"], "dbSizeInUse":"16384"}
				""", Maintenance.StatusResponse.class);
		assertThat(status.leader()).isZero();
		assertThat(status.errors()).containsExactly("etcdserver: no leader");
	}

	@Test
	void requestsWithoutFieldsShouldBeWrittenAsEmptyObjects() {
		assertThat(this.mapper.writeValueAsString(new Cluster.MemberListRequest())).isEqualTo("{}");
		assertThat(this.mapper.writeValueAsString(new Maintenance.StatusRequest())).isEqualTo("{}");
	}

	@Test
	void discoveryDocumentShouldReadMembersAndDirectories() {
		Discovery.Document document = read("""
				{"action":"get","node":{"key":"/_etcd/registry/abc","dir":true,"nodes":[
				 {"key":"/_etcd/registry/abc/_config","dir":true,"modifiedIndex":5,"createdIndex":5},
				 {"key":"/_etcd/registry/abc/6c007a14875d53d9","value":"m0=http://127.0.0.1:2380",
				  "modifiedIndex":6,"createdIndex":6}],"modifiedIndex":4,"createdIndex":4}}
				""", Discovery.Document.class);
		assertThat(document.node().key()).isEqualTo("/_etcd/registry/abc");
		assertThat(document.node().nodes()).hasSize(2);
		assertThat(document.node().nodes().get(0).dir()).isTrue();
		assertThat(document.node().nodes().get(1).value()).isEqualTo("m0=http://127.0.0.1:2380");
	}

	private <T> T read(String json, Class<T> type) {
		return this.mapper.readValue(json, type);
	}

}
