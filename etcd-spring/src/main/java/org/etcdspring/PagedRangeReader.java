package org.etcdspring;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.etcdspring.core.EtcdCompactedException;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.transport.EtcdRpc;
import org.etcdspring.core.transport.EtcdTransport;
import org.etcdspring.core.transport.Kv;

/**
 * Reads a key range in pages, so that no single response has to hold the whole range: a
 * limited range, then the next one from just after the last key returned, every page at
 * the revision of the first, so the pages together are one consistent snapshot.
 *
 * <p>
 * etcd limits a page by its number of keys only, and a key and its value may together
 * take up to etcd's {@code --max-request-bytes} (1.5 MiB by default), whatever the values
 * before them held. So every page is bounded in bytes before it is fetched: it carries at
 * most as many keys as fit in {@value #PAGE_BYTES_TARGET} bytes when each is as large as
 * etcd allows (or as the largest entry seen, when a server allows larger ones), and never
 * more than the configured page size. A prefix of small values thus takes one request per
 * 21 keys (32 MiB / 1.5 MiB): the price of a bound that no later value can break.
 *
 * <p>
 * A read into memory with a limit on its total also shrinks its pages as the total nears
 * the limit, down to {@value #MIN_PAGE_BYTES} bytes, so that what it holds at once, the
 * entries read and the page in flight, stays within the limit and one small page.
 *
 * @author etcd-spring
 */
final class PagedRangeReader {

	/**
	 * The most bytes of keys and values one page may carry.
	 */
	static final long PAGE_BYTES_TARGET = 32L * 1024 * 1024;

	/**
	 * The fewest bytes a page may be shrunk to as a read into memory nears its limit.
	 */
	static final long MIN_PAGE_BYTES = 8L * 1024 * 1024;

	/**
	 * The largest key and value etcd stores by default: its {@code --max-request-bytes},
	 * 1.5 MiB, bounds every put.
	 */
	static final long DEFAULT_MAX_ENTRY_BYTES = 3L * 512 * 1024;

	private final EtcdTransport transport;

	private final Namespace namespace;

	private final boolean serializable;

	private final int pageSize;

	PagedRangeReader(EtcdTransport transport, Namespace namespace, boolean serializable, int pageSize) {
		this.transport = transport;
		this.namespace = namespace;
		this.serializable = serializable;
		this.pageSize = pageSize;
	}

	/**
	 * Hand every key under the prefix to the action, page by page, at one revision.
	 * @param prefix the prefix, in this reader's namespace
	 * @param action receives each entry in key order
	 * @return the revision of the snapshot
	 * @throws EtcdCompactedException when the snapshot's revision was compacted before
	 * the last page was read
	 */
	long read(String prefix, Consumer<? super KeyValue> action) {
		return read(prefix, Long.MAX_VALUE, action);
	}

	/**
	 * Hand every key under the prefix to the action, page by page, at one revision, with
	 * pages that shrink as the bytes handed out near a limit, for an action that holds
	 * them all and stops at that limit.
	 * @param prefix the prefix, in this reader's namespace
	 * @param maxTotalBytes the limit on the bytes of all entries
	 * @param action receives each entry in key order
	 * @return the revision of the snapshot
	 * @throws EtcdCompactedException when the snapshot's revision was compacted before
	 * the last page was read
	 */
	long read(String prefix, long maxTotalBytes, Consumer<? super KeyValue> action) {
		byte[] from = this.namespace.encode(prefix);
		byte[] rangeEnd = this.namespace.rangeEnd(prefix);
		String name = this.namespace.describe(prefix);
		long revision = 0;
		long largestEntry = DEFAULT_MAX_ENTRY_BYTES;
		long totalBytes = 0;
		int limit = pageLimit(largestEntry, maxTotalBytes);
		while (true) {
			Kv.RangeRequest request = new Kv.RangeRequest(from, rangeEnd, limit, revision, null, null,
					this.serializable, false, false, 0);
			Kv.RangeResponse page = this.transport.call(EtcdRpc.RANGE, request, name);
			if (revision == 0) {
				revision = page.header().revision();
			}
			List<Kv.KeyValue> kvs = page.kvs();
			for (Kv.KeyValue kv : kvs) {
				long entryBytes = (long) kv.key().length + kv.value().length;
				largestEntry = Math.max(largestEntry, entryBytes);
				totalBytes += entryBytes;
				action.accept(new KeyValue(this.namespace.decode(kv.key()), kv.value(), kv.createRevision(),
						kv.modRevision(), kv.version(), kv.lease()));
			}
			if (!page.more() || kvs.isEmpty()) {
				return revision;
			}
			from = after(kvs.get(kvs.size() - 1).key());
			limit = pageLimit(largestEntry, maxTotalBytes - totalBytes);
		}
	}

	/**
	 * How many keys the next page may carry: as many as fit in its bytes (
	 * {@value #PAGE_BYTES_TARGET}, or what is left of a limit, but not less than
	 * {@value #MIN_PAGE_BYTES}) if each is as large as the largest entry etcd may hold;
	 * at least one, at most the configured page size.
	 */
	private int pageLimit(long largestEntry, long bytesLeft) {
		long pageBytes = Math.max(MIN_PAGE_BYTES, Math.min(PAGE_BYTES_TARGET, bytesLeft));
		return (int) Math.max(1, Math.min(this.pageSize, pageBytes / largestEntry));
	}

	/**
	 * The bytes of an entry as etcd holds it: its key in UTF-8 and its value.
	 * @param kv the entry
	 * @return the number of bytes
	 */
	static long entryBytes(KeyValue kv) {
		return utf8Length(kv.key()) + kv.value().length;
	}

	private static long utf8Length(String text) {
		long length = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				length += 1;
			}
			else if (c < 0x800) {
				length += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < text.length()
					&& Character.isLowSurrogate(text.charAt(i + 1))) {
				// A pair: one code point of four bytes.
				length += 4;
				i++;
			}
			else {
				length += 3;
			}
		}
		return length;
	}

	/**
	 * The smallest key greater than the given one: the key with a zero byte appended.
	 */
	private static byte[] after(byte[] key) {
		return Arrays.copyOf(key, key.length + 1);
	}

}
