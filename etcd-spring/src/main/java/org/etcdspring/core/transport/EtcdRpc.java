package org.etcdspring.core.transport;

import org.springframework.http.HttpMethod;

/**
 * One gateway call: its path, the type of its answer, and whether it may be sent again
 * after a failure that leaves its outcome unknown.
 *
 * @param <Q> the request message type
 * @param <R> the response message type
 * @param operation the short name used in logs, metrics and error messages
 * @param method the HTTP method
 * @param path the gateway path
 * @param responseType the response message type
 * @param idempotent whether sending the request twice has the same effect as once
 * @author etcd-spring
 * @since 0.1.0
 */
public record EtcdRpc<Q, R>(String operation, HttpMethod method, String path, Class<R> responseType,
		boolean idempotent) {

	public static final EtcdRpc<Kv.RangeRequest, Kv.RangeResponse> RANGE = post("range", "/v3/kv/range",
			Kv.RangeResponse.class, true);

	public static final EtcdRpc<Kv.PutRequest, Kv.PutResponse> PUT = post("put", "/v3/kv/put", Kv.PutResponse.class,
			false);

	public static final EtcdRpc<Kv.DeleteRangeRequest, Kv.DeleteRangeResponse> DELETE_RANGE = post("delete",
			"/v3/kv/deleterange", Kv.DeleteRangeResponse.class, false);

	public static final EtcdRpc<Kv.TxnRequest, Kv.TxnResponse> TXN = post("txn", "/v3/kv/txn", Kv.TxnResponse.class,
			false);

	/**
	 * A transaction whose branches only read: safe to send again.
	 */
	public static final EtcdRpc<Kv.TxnRequest, Kv.TxnResponse> READ_ONLY_TXN = post("txn", "/v3/kv/txn",
			Kv.TxnResponse.class, true);

	public static final EtcdRpc<Void, Kv.Version> VERSION = new EtcdRpc<>("version", HttpMethod.GET, "/version",
			Kv.Version.class, true);

	public static <Q, R> EtcdRpc<Q, R> post(String operation, String path, Class<R> responseType, boolean idempotent) {
		return new EtcdRpc<>(operation, HttpMethod.POST, path, responseType, idempotent);
	}

}
