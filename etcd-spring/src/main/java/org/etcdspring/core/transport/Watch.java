package org.etcdspring.core.transport;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The gateway's watch messages. One {@code POST /v3/watch} carries one or more create
 * requests and answers a never-ending stream of responses, one JSON object per line. Over
 * HTTP/1.1 nothing can be sent once the response has started (Go's server then drops the
 * unread rest of the request body), so every watch of a stream is sent when it opens;
 * each response names its watch by {@code watch_id}, which the client chooses (etcd 3.4
 * and later; {@code 0} would let the server choose).
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

	/**
	 * @param watchId the id the responses of this watch carry; positive, unique on its
	 * stream
	 */
	public record CreateRequest(byte[] key, byte @Nullable [] rangeEnd, long startRevision, boolean progressNotify,
			@Nullable List<Filter> filters, boolean prevKv, long watchId) {
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

	/**
	 * @param watchId the watch the response is about; {@code -1} for the stream as a
	 * whole
	 */
	public record Response(Kv.ResponseHeader header, long watchId, boolean created, boolean canceled,
			long compactRevision, @Nullable String cancelReason, List<Event> events) {

		public Response {
			header = (header != null) ? header : Kv.ResponseHeader.NONE;
			events = (events != null) ? events : List.of();
		}

	}

}
