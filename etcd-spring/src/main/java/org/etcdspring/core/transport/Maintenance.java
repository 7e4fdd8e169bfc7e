package org.etcdspring.core.transport;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The gateway's maintenance messages (etcdserverpb) with their calls. Status fields keep
 * the names of the protobuf definition ({@code dbSize}, {@code raftIndex}, ...).
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Maintenance {

	/**
	 * {@code POST /v3/maintenance/status}: the state of the member that answers.
	 */
	public static final EtcdRpc<StatusRequest, StatusResponse> STATUS = EtcdRpc.post("status", "/v3/maintenance/status",
			StatusResponse.class, true);

	/**
	 * {@code POST /v3/maintenance/alarm}: the alarms of the cluster.
	 */
	public static final EtcdRpc<AlarmRequest, AlarmResponse> ALARM = EtcdRpc.post("alarm", "/v3/maintenance/alarm",
			AlarmResponse.class, true);

	private Maintenance() {
	}

	/**
	 * Asks for, raises or clears alarms; only {@link #GET} is used.
	 */
	public record AlarmRequest(String action) {

		public static final AlarmRequest GET = new AlarmRequest("GET");

	}

	public record AlarmMember(
			@JsonProperty("memberID") @JsonDeserialize(using = UnsignedLongDeserializer.class) long memberId,
			String alarm) {

		public AlarmMember {
			alarm = (alarm != null) ? alarm : "NONE";
		}

	}

	public record AlarmResponse(Kv.@Nullable ResponseHeader header, List<AlarmMember> alarms) {

		public AlarmResponse {
			alarms = (alarms != null) ? alarms : List.of();
		}

	}

	/**
	 * Asks a member for its status; the request has no fields.
	 */
	public record StatusRequest() {

	}

	/**
	 * The status of one member. {@code leader} is 0 when the member knows no leader, in
	 * which case etcd 3.5 also lists "etcdserver: no leader" in {@code errors};
	 * {@code isLearner} is only sent by 3.5 and later.
	 */
	public record StatusResponse(Kv.ResponseHeader header, String version, @JsonProperty("dbSize") long dbSize,
			@JsonProperty("dbSizeInUse") long dbSizeInUse,
			@JsonProperty("leader") @JsonDeserialize(using = UnsignedLongDeserializer.class) long leader,
			@JsonProperty("raftIndex") long raftIndex, @JsonProperty("raftAppliedIndex") long raftAppliedIndex,
			@JsonProperty("raftTerm") @JsonDeserialize(using = UnsignedLongDeserializer.class) long raftTerm,
			@JsonProperty("isLearner") boolean learner, List<String> errors) {

		public StatusResponse {
			header = (header != null) ? header : Kv.ResponseHeader.NONE;
			version = (version != null) ? version : "";
			errors = (errors != null) ? errors : List.of();
		}

	}

}
