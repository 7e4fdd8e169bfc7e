package org.etcdspring.core.transport;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

import org.springframework.http.HttpMethod;

/**
 * The gateway's cluster messages (etcdserverpb) and the member list a member's peer port
 * serves, with their calls. Member fields keep the names of the protobuf definition
 * ({@code ID}, {@code peerURLs}, {@code clientURLs}, {@code isLearner}); the peer port
 * writes the ID as {@code id}, a JSON number.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Cluster {

	/**
	 * {@code POST /v3/cluster/member/list}: every member, started or not.
	 */
	public static final EtcdRpc<MemberListRequest, MemberListResponse> MEMBER_LIST = EtcdRpc.post("member list",
			"/v3/cluster/member/list", MemberListResponse.class, true);

	/**
	 * {@code GET /members} on a member's peer URL: the members it knows, for discovery.
	 */
	public static final EtcdRpc<Void, Member[]> PEER_MEMBERS = new EtcdRpc<>("peer member list", HttpMethod.GET,
			"/members", Member[].class, true);

	private Cluster() {
	}

	/**
	 * Asks for the member list; etcd 3.4 and 3.5 take no parameters that matter here.
	 */
	public record MemberListRequest() {

	}

	public record MemberListResponse(Kv.ResponseHeader header, List<Member> members) {

		public MemberListResponse {
			header = (header != null) ? header : Kv.ResponseHeader.NONE;
			members = (members != null) ? members : List.of();
		}

	}

	/**
	 * One member. A member that was added but has not started yet has no name and no
	 * client URLs.
	 */
	public record Member(
			@JsonProperty("ID") @JsonAlias("id") @JsonDeserialize(using = UnsignedLongDeserializer.class) long id,
			String name, @JsonProperty("peerURLs") List<String> peerUrls,
			@JsonProperty("clientURLs") List<String> clientUrls, @JsonProperty("isLearner") boolean learner) {

		public Member {
			name = (name != null) ? name : "";
			peerUrls = (peerUrls != null) ? peerUrls : List.of();
			clientUrls = (clientUrls != null) ? clientUrls : List.of();
		}

	}

}
