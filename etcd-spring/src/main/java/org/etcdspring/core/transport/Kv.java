package org.etcdspring.core.transport;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The gateway's key/value messages (etcdserverpb), as the JSON gateway reads and writes
 * them: bytes in base64, 64-bit integers as strings, zero values omitted. Every field a
 * server may omit (etcd 3.4 to 3.6 all leave out zero values) has a safe default here.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class Kv {

	private static final byte[] EMPTY = new byte[0];

	private Kv() {
	}

	/**
	 * The header of every response. Cluster and member IDs and the Raft term are uint64:
	 * read as unsigned, so IDs above {@code Long.MAX_VALUE} come out negative but exact.
	 */
	public record ResponseHeader(@JsonDeserialize(using = UnsignedLongDeserializer.class) long clusterId,
			@JsonDeserialize(using = UnsignedLongDeserializer.class) long memberId, long revision,
			@JsonDeserialize(using = UnsignedLongDeserializer.class) long raftTerm) {

		static final ResponseHeader NONE = new ResponseHeader(0, 0, 0, 0);

	}

	public record KeyValue(byte[] key, byte[] value, long createRevision, long modRevision, long version, long lease) {

		public KeyValue {
			key = (key != null) ? key : EMPTY;
			value = (value != null) ? value : EMPTY;
		}

	}

	/**
	 * A response that carries nothing but its header.
	 */
	public record ResponseHeaderOnly(@Nullable ResponseHeader header) {

	}

	public enum SortOrder {

		NONE, ASCEND, DESCEND

	}

	public enum SortTarget {

		KEY, VERSION, CREATE, MOD, VALUE

	}

	public record RangeRequest(byte[] key, byte @Nullable [] rangeEnd, long limit, long revision,
			@Nullable SortOrder sortOrder, @Nullable SortTarget sortTarget, boolean serializable, boolean keysOnly,
			boolean countOnly, long maxCreateRevision) {

		public static RangeRequest of(byte[] key, byte @Nullable [] rangeEnd, boolean serializable) {
			return new RangeRequest(key, rangeEnd, 0, 0, null, null, serializable, false, false, 0);
		}

	}

	public record RangeResponse(ResponseHeader header, List<KeyValue> kvs, boolean more, long count) {

		public RangeResponse {
			header = (header != null) ? header : ResponseHeader.NONE;
			kvs = (kvs != null) ? kvs : List.of();
		}

	}

	public record PutRequest(byte[] key, byte @Nullable [] value, long lease, boolean prevKv, boolean ignoreValue,
			boolean ignoreLease) {

		public static PutRequest of(byte[] key, byte[] value, long lease) {
			return new PutRequest(key, value, lease, false, false, false);
		}

	}

	public record PutResponse(ResponseHeader header, @Nullable KeyValue prevKv) {

		public PutResponse {
			header = (header != null) ? header : ResponseHeader.NONE;
		}

	}

	public record DeleteRangeRequest(byte[] key, byte @Nullable [] rangeEnd, boolean prevKv) {

	}

	public record DeleteRangeResponse(ResponseHeader header, long deleted, List<KeyValue> prevKvs) {

		public DeleteRangeResponse {
			header = (header != null) ? header : ResponseHeader.NONE;
			prevKvs = (prevKvs != null) ? prevKvs : List.of();
		}

	}

	public enum CompareResult {

		EQUAL, GREATER, LESS, NOT_EQUAL

	}

	public enum CompareTarget {

		VERSION, CREATE, MOD, VALUE, LEASE

	}

	/**
	 * One condition of a transaction. Exactly one of the target fields is set, the one
	 * {@code target} names; a {@code rangeEnd} makes the compare hold for every key in
	 * the range.
	 */
	public record Compare(CompareResult result, CompareTarget target, byte[] key, @Nullable Long version,
			@Nullable Long createRevision, @Nullable Long modRevision, byte @Nullable [] value, @Nullable Long lease,
			byte @Nullable [] rangeEnd) {

		public static Compare of(byte[] key, byte @Nullable [] rangeEnd, CompareTarget target, CompareResult result,
				Object operand) {
			return switch (target) {
				case VERSION -> new Compare(result, target, key, (Long) operand, null, null, null, null, rangeEnd);
				case CREATE -> new Compare(result, target, key, null, (Long) operand, null, null, null, rangeEnd);
				case MOD -> new Compare(result, target, key, null, null, (Long) operand, null, null, rangeEnd);
				case VALUE -> new Compare(result, target, key, null, null, null, (byte[]) operand, null, rangeEnd);
				case LEASE -> new Compare(result, target, key, null, null, null, null, (Long) operand, rangeEnd);
			};
		}

	}

	public record RequestOp(@Nullable RangeRequest requestRange, @Nullable PutRequest requestPut,
			@Nullable DeleteRangeRequest requestDeleteRange, @Nullable TxnRequest requestTxn) {

		public static RequestOp range(RangeRequest request) {
			return new RequestOp(request, null, null, null);
		}

		public static RequestOp put(PutRequest request) {
			return new RequestOp(null, request, null, null);
		}

		public static RequestOp deleteRange(DeleteRangeRequest request) {
			return new RequestOp(null, null, request, null);
		}

		/**
		 * A nested transaction (etcd 3.3 and later).
		 * @param request the transaction
		 * @return the operation
		 */
		public static RequestOp txn(TxnRequest request) {
			return new RequestOp(null, null, null, request);
		}

		@JsonIgnore
		public boolean isReadOnly() {
			return this.requestRange != null || (this.requestTxn != null && this.requestTxn.isReadOnly());
		}

	}

	public record ResponseOp(@Nullable RangeResponse responseRange, @Nullable PutResponse responsePut,
			@Nullable DeleteRangeResponse responseDeleteRange, @Nullable TxnResponse responseTxn) {

	}

	public record TxnRequest(List<Compare> compare, List<RequestOp> success, List<RequestOp> failure) {

		@JsonIgnore
		public boolean isReadOnly() {
			return this.success.stream().allMatch(RequestOp::isReadOnly)
					&& this.failure.stream().allMatch(RequestOp::isReadOnly);
		}

	}

	public record TxnResponse(ResponseHeader header, boolean succeeded, List<ResponseOp> responses) {

		public TxnResponse {
			header = (header != null) ? header : ResponseHeader.NONE;
			responses = (responses != null) ? responses : List.of();
		}

	}

	/**
	 * The answer of {@code GET /version}.
	 */
	public record Version(@Nullable String etcdserver, @Nullable String etcdcluster) {

	}

}
