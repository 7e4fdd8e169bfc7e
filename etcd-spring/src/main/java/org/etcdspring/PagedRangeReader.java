package org.etcdspring;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.etcdspring.core.EtcdCompactedException;
import org.etcdspring.core.EtcdPrefixTooLargeException;
import org.etcdspring.core.EtcdResponseTooLargeException;
import org.etcdspring.core.KeyValue;
import org.etcdspring.core.Namespace;
import org.etcdspring.core.PrintableKey;
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
 * before them held. So the number of keys per page adapts to what was read (it starts at
 * {@value #FIRST_PAGE_SIZE}, grows fourfold up to the configured page size, and is cut so
 * that a page of the largest entry seen so far fits), while the bytes of every page are
 * bounded by the transport as they arrive: the answer to a page may take at most
 * {@value #MAX_PAGE_RESPONSE_BYTES} bytes of JSON, in which values are base64 (about 24
 * MiB of keys and values). An answer that grows past that is not read further; the page
 * is asked for again, at the same revision, with half the keys, and no later page of the
 * read carries more. A single key whose answer alone is larger fails the read with an
 * {@link EtcdResponseTooLargeException} naming it.
 *
 * <p>
 * A read into memory with a limit on its total also shrinks the bound of its pages as the
 * total nears the limit, down to {@value #MIN_PAGE_RESPONSE_BYTES} bytes, so that what it
 * holds at once, the entries read and the page in flight, stays within the limit and one
 * small page. (Only an entry whose own answer exceeds that smaller bound, which takes a
 * value of over 6 MiB, is read with the full bound.)
 *
 * @author etcd-spring
 */
final class PagedRangeReader {

	/**
	 * The most bytes of the answer to one page.
	 */
	static final long MAX_PAGE_RESPONSE_BYTES = 32L * 1024 * 1024;

	/**
	 * The fewest bytes the bound of a page may be shrunk to as a read into memory nears
	 * its limit.
	 */
	static final long MIN_PAGE_RESPONSE_BYTES = 8L * 1024 * 1024;

	private static final int FIRST_PAGE_SIZE = 16;

	/**
	 * About how many bytes an entry takes in an answer besides its key and value in
	 * base64: field names and revisions.
	 */
	private static final long ENTRY_OVERHEAD_BYTES = 256;

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
	 * @throws EtcdResponseTooLargeException when a single entry is larger than a page may
	 * be
	 */
	long read(String prefix, Consumer<? super KeyValue> action) {
		return read(prefix, Long.MAX_VALUE, action);
	}

	/**
	 * Hand every key under the prefix to the action, page by page, at one revision, up to
	 * a limit on the bytes of all entries (each counted as etcd holds it: its key in
	 * UTF-8 and its value), with pages whose bound shrinks as the total nears the limit,
	 * for an action that holds them all.
	 * @param prefix the prefix, in this reader's namespace
	 * @param maxTotalBytes the limit on the bytes of all entries
	 * @param action receives each entry in key order
	 * @return the revision of the snapshot
	 * @throws EtcdPrefixTooLargeException when the entries add up to more than the limit
	 * (the entry that crosses it is not handed to the action)
	 * @throws EtcdCompactedException when the snapshot's revision was compacted before
	 * the last page was read
	 * @throws EtcdResponseTooLargeException when a single entry is larger than a page may
	 * be
	 */
	long read(String prefix, long maxTotalBytes, Consumer<? super KeyValue> action) {
		byte[] from = this.namespace.encode(prefix);
		byte[] rangeEnd = this.namespace.rangeEnd(prefix);
		String name = this.namespace.describe(prefix);
		long revision = 0;
		int limit = Math.min(this.pageSize, FIRST_PAGE_SIZE);
		// Lowered for the rest of the read when a page of more keys overflowed.
		int mostKeys = this.pageSize;
		long largestEntry = 0;
		long totalBytes = 0;
		int entries = 0;
		boolean fullBound = false;
		while (true) {
			long maxResponseBytes = fullBound ? MAX_PAGE_RESPONSE_BYTES : pageResponseBytes(maxTotalBytes - totalBytes);
			Kv.RangeResponse page;
			try {
				page = this.transport.callWithResponseLimit(EtcdRpc.RANGE,
						range(from, rangeEnd, limit, revision, false), name, maxResponseBytes);
			}
			catch (EtcdResponseTooLargeException ex) {
				if (limit > 1) {
					limit = limit / 2;
					mostKeys = limit;
				}
				else if (maxResponseBytes < MAX_PAGE_RESPONSE_BYTES) {
					fullBound = true;
				}
				else {
					throw entryTooLarge(from, rangeEnd, revision, name, ex);
				}
				continue;
			}
			fullBound = false;
			if (revision == 0) {
				revision = page.header().revision();
			}
			List<Kv.KeyValue> kvs = page.kvs();
			for (Kv.KeyValue kv : kvs) {
				long entryBytes = (long) kv.key().length + kv.value().length;
				largestEntry = Math.max(largestEntry, entryBytes);
				totalBytes += entryBytes;
				entries++;
				if (totalBytes > maxTotalBytes) {
					throw prefixTooLarge(name, entries, totalBytes, maxTotalBytes);
				}
				action.accept(new KeyValue(this.namespace.decode(kv.key()), kv.value(), kv.createRevision(),
						kv.modRevision(), kv.version(), kv.lease()));
			}
			if (!page.more() || kvs.isEmpty()) {
				return revision;
			}
			from = after(kvs.get(kvs.size() - 1).key());
			long fitting = pageResponseBytes(maxTotalBytes - totalBytes) / answerBytes(largestEntry);
			limit = (int) Math.max(1, Math.min(Math.min((long) limit * 4, mostKeys), fitting));
		}
	}

	private Kv.RangeRequest range(byte[] from, byte[] rangeEnd, int limit, long revision, boolean keysOnly) {
		return new Kv.RangeRequest(from, rangeEnd, limit, revision, null, null, this.serializable, keysOnly, false, 0);
	}

	/**
	 * The most bytes of the answer to the next page: {@value #MAX_PAGE_RESPONSE_BYTES},
	 * or what is left of a limit, but not less than {@value #MIN_PAGE_RESPONSE_BYTES}.
	 */
	private static long pageResponseBytes(long bytesLeft) {
		return Math.max(MIN_PAGE_RESPONSE_BYTES, Math.min(MAX_PAGE_RESPONSE_BYTES, bytesLeft));
	}

	/**
	 * About how many bytes an entry of the given size takes in an answer: its key and
	 * value in base64, and the rest of its fields.
	 */
	private static long answerBytes(long entryBytes) {
		return (entryBytes + 2) / 3 * 4 + ENTRY_OVERHEAD_BYTES;
	}

	/**
	 * The failure of a read at a key whose answer alone is larger than a page may be: the
	 * key is looked up (without its value) to name it.
	 */
	private EtcdResponseTooLargeException entryTooLarge(byte[] from, byte[] rangeEnd, long revision, String prefix,
			EtcdResponseTooLargeException ex) {
		Kv.RangeResponse keys = this.transport.callWithResponseLimit(EtcdRpc.RANGE,
				range(from, rangeEnd, 1, revision, true), prefix, MAX_PAGE_RESPONSE_BYTES);
		String key = keys.kvs().isEmpty() ? prefix : this.namespace.decode(keys.kvs().get(0).key());
		return new EtcdResponseTooLargeException(
				"etcd key '" + PrintableKey.of(key) + "' under prefix '" + PrintableKey.of(prefix)
						+ "' is too large to read in a page: its answer alone is larger than " + ex.getMaxBytes()
						+ " bytes, the most one page of a prefix read may take",
				"range", key, ex.getEndpoint(), ex.getMaxBytes());
	}

	private static EtcdPrefixTooLargeException prefixTooLarge(String prefix, int keys, long bytes, long maxBytes) {
		String name = PrintableKey.of(prefix);
		return new EtcdPrefixTooLargeException("etcd prefix '" + name + "' holds more than " + maxBytes
				+ " bytes of keys and values, the most a read into memory may hold (" + bytes + " bytes in the first "
				+ keys + " keys); read it with forEachInPrefix, which holds one page at a time, or raise the limit "
				+ "(EtcdTemplate.setMaxPrefixBytes, Boot property etcd.max-prefix-size)", name, maxBytes);
	}

	/**
	 * The smallest key greater than the given one: the key with a zero byte appended.
	 */
	private static byte[] after(byte[] key) {
		return Arrays.copyOf(key, key.length + 1);
	}

}
