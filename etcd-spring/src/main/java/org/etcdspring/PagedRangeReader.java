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
 * etcd limits a page by its number of keys only, so the page size adapts to the values
 * seen: it starts small, grows fourfold while pages stay light, and is cut so that a page
 * of the largest value seen so far stays near {@value #PAGE_BYTES_TARGET} bytes; it never
 * exceeds the configured page size.
 *
 * @author etcd-spring
 */
final class PagedRangeReader {

	/**
	 * About how many bytes of keys and values one page should carry.
	 */
	static final long PAGE_BYTES_TARGET = 4L * 1024 * 1024;

	private static final int FIRST_PAGE_SIZE = 16;

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
		byte[] from = this.namespace.encode(prefix);
		byte[] rangeEnd = this.namespace.rangeEnd(prefix);
		String name = this.namespace.describe(prefix);
		long revision = 0;
		int limit = Math.min(this.pageSize, FIRST_PAGE_SIZE);
		long largestEntry = 1;
		while (true) {
			Kv.RangeRequest request = new Kv.RangeRequest(from, rangeEnd, limit, revision, null, null,
					this.serializable, false, false, 0);
			Kv.RangeResponse page = this.transport.call(EtcdRpc.RANGE, request, name);
			if (revision == 0) {
				revision = page.header().revision();
			}
			List<Kv.KeyValue> kvs = page.kvs();
			for (Kv.KeyValue kv : kvs) {
				largestEntry = Math.max(largestEntry, (long) kv.key().length + kv.value().length);
				action.accept(new KeyValue(this.namespace.decode(kv.key()), kv.value(), kv.createRevision(),
						kv.modRevision(), kv.version(), kv.lease()));
			}
			if (!page.more() || kvs.isEmpty()) {
				return revision;
			}
			from = after(kvs.get(kvs.size() - 1).key());
			limit = (int) Math.max(1,
					Math.min(Math.min((long) limit * 4, this.pageSize), PAGE_BYTES_TARGET / largestEntry));
		}
	}

	/**
	 * The smallest key greater than the given one: the key with a zero byte appended.
	 */
	private static byte[] after(byte[] key) {
		return Arrays.copyOf(key, key.length + 1);
	}

}
