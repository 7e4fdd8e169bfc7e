package org.etcdspring.core.transport;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's lease messages. Their proto fields are named {@code ID} and {@code TTL},
 * not snake_case.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Lease {

	public static final EtcdRpc<GrantRequest, GrantResponse> GRANT = EtcdRpc.post("lease grant", "/v3/lease/grant",
			GrantResponse.class, false);

	public static final EtcdRpc<IdRequest, Kv.ResponseHeaderOnly> REVOKE = EtcdRpc.post("lease revoke",
			"/v3/lease/revoke", Kv.ResponseHeaderOnly.class, true);

	/**
	 * One keep-alive: the gateway answers a single streamed message.
	 */
	public static final EtcdRpc<IdRequest, KeepAliveEnvelope> KEEP_ALIVE = EtcdRpc.post("lease keep-alive",
			"/v3/lease/keepalive", KeepAliveEnvelope.class, true);

	public static final EtcdRpc<TimeToLiveRequest, TimeToLiveResponse> TIME_TO_LIVE = EtcdRpc.post("lease time-to-live",
			"/v3/lease/timetolive", TimeToLiveResponse.class, true);

	private Lease() {
	}

	public record GrantRequest(@JsonProperty("TTL") long ttl, @JsonProperty("ID") long id) {
	}

	public record GrantResponse(Kv.@Nullable ResponseHeader header, @JsonProperty("ID") long id,
			@JsonProperty("TTL") long ttl, @Nullable String error) {
	}

	public record IdRequest(@JsonProperty("ID") long id) {
	}

	public record KeepAliveResponse(Kv.@Nullable ResponseHeader header, @JsonProperty("ID") long id,
			@JsonProperty("TTL") long ttl) {
	}

	public record KeepAliveEnvelope(@Nullable KeepAliveResponse result) {
	}

	public record TimeToLiveRequest(@JsonProperty("ID") long id, boolean keys) {
	}

	/**
	 * @param ttl the remaining seconds, {@code -1} when the lease has expired or never
	 * existed
	 */
	public record TimeToLiveResponse(Kv.@Nullable ResponseHeader header, @JsonProperty("ID") long id,
			@JsonProperty("TTL") long ttl, @JsonProperty("grantedTTL") long grantedTtl, List<byte[]> keys) {

		public TimeToLiveResponse {
			keys = (keys != null) ? keys : List.of();
		}

	}

}
