package org.etcdspring.core.transport;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The gateway's watch messages. One {@code POST /v3/watch} carries one create request
 * and answers a never-ending stream of responses, one JSON object per line.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Watch {

	public static final EtcdRpc<Request, Response> WATCH = EtcdRpc.post("watch", "/v3/watch", Response.class, true);

	private Watch() {
	}

	public enum Filter {

		NOPUT, NODELETE

	}

	public record CreateRequest(byte[] key, byte @Nullable [] rangeEnd, long startRevision, boolean progressNotify,
			@Nullable List<Filter> filters, boolean prevKv) {
	}

	public record Request(CreateRequest createRequest) {
	}

	public enum EventType {

		PUT, DELETE

	}

	/**
	 * @param type the event type; etcd 3.6 leaves out {@code PUT}, the zero value
	 */
	public record Event(EventType type, Kv.KeyValue kv, Kv.@Nullable KeyValue prevKv) {

		public Event {
			type = (type != null) ? type : EventType.PUT;
		}

	}

	public record Response(Kv.ResponseHeader header, boolean created, boolean canceled,
			long compactRevision, @Nullable String cancelReason, List<Event> events) {

		public Response {
			header = (header != null) ? header : Kv.ResponseHeader.NONE;
			events = (events != null) ? events : List.of();
		}

	}

}
