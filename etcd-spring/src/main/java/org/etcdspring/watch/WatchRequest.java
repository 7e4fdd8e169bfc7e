package org.etcdspring.watch;

import org.etcdspring.core.Namespace;
import org.etcdspring.core.PrintableKey;

import org.springframework.util.Assert;

/**
 * What to watch: a key or a prefix, from which revision, with which events.
 *
 * <pre class="code">
 * WatchRequest.prefix("config/").fromRevision(lastSeen + 1).withPrevKv().withoutDeletes();
 * </pre>
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class WatchRequest {

	private final String key;

	private final boolean prefix;

	private final long fromRevision;

	private final boolean prevKv;

	private final boolean noPut;

	private final boolean noDelete;

	private final boolean progressNotify;

	private final boolean requireLeader;

	private WatchRequest(String key, boolean prefix, long fromRevision, boolean prevKv, boolean noPut, boolean noDelete,
			boolean progressNotify, boolean requireLeader) {
		this.key = key;
		this.prefix = prefix;
		this.fromRevision = fromRevision;
		this.prevKv = prevKv;
		this.noPut = noPut;
		this.noDelete = noDelete;
		this.progressNotify = progressNotify;
		this.requireLeader = requireLeader;
	}

	/**
	 * Watch one key.
	 * @param key the key
	 * @return the request
	 */
	public static WatchRequest key(String key) {
		Namespace.checkKey(key, "key");
		return new WatchRequest(key, false, 0, false, false, false, false, false);
	}

	/**
	 * Watch every key that starts with the prefix.
	 * @param prefix the prefix
	 * @return the request
	 */
	public static WatchRequest prefix(String prefix) {
		Namespace.checkKey(prefix, "prefix");
		return new WatchRequest(prefix, true, 0, false, false, false, false, false);
	}

	/**
	 * Start with the changes at this revision (inclusive) instead of the next change.
	 * @param revision a positive revision
	 * @return a new request
	 */
	public WatchRequest fromRevision(long revision) {
		Assert.isTrue(revision > 0, () -> "'revision' must be positive, was " + revision);
		return new WatchRequest(this.key, this.prefix, revision, this.prevKv, this.noPut, this.noDelete,
				this.progressNotify, this.requireLeader);
	}

	/**
	 * Deliver each key's previous value with its event.
	 * @return a new request
	 */
	public WatchRequest withPrevKv() {
		return new WatchRequest(this.key, this.prefix, this.fromRevision, true, this.noPut, this.noDelete,
				this.progressNotify, this.requireLeader);
	}

	/**
	 * Leave out put events.
	 * @return a new request
	 */
	public WatchRequest withoutPuts() {
		return new WatchRequest(this.key, this.prefix, this.fromRevision, this.prevKv, true, this.noDelete,
				this.progressNotify, this.requireLeader);
	}

	/**
	 * Leave out delete events.
	 * @return a new request
	 */
	public WatchRequest withoutDeletes() {
		return new WatchRequest(this.key, this.prefix, this.fromRevision, this.prevKv, this.noPut, true,
				this.progressNotify, this.requireLeader);
	}

	/**
	 * Ask the server for periodic progress notifications while nothing changes.
	 * @return a new request
	 */
	public WatchRequest withProgressNotifications() {
		return new WatchRequest(this.key, this.prefix, this.fromRevision, this.prevKv, this.noPut, this.noDelete, true,
				this.requireLeader);
	}

	/**
	 * Require the member to have a leader: one cut off from the majority ends the watch
	 * ("no leader") within a few election timeouts, and the watch resumes, from where it
	 * was, once a member with a leader answers, instead of staying silent meanwhile. What
	 * locks and elections watch needs this. Keeps every other option.
	 * @return a new request
	 */
	public WatchRequest requiringLeader() {
		return new WatchRequest(this.key, this.prefix, this.fromRevision, this.prevKv, this.noPut, this.noDelete,
				this.progressNotify, true);
	}

	public String key() {
		return this.key;
	}

	public boolean isPrefix() {
		return this.prefix;
	}

	public long fromRevision() {
		return this.fromRevision;
	}

	public boolean isPrevKv() {
		return this.prevKv;
	}

	public boolean isNoPut() {
		return this.noPut;
	}

	public boolean isNoDelete() {
		return this.noDelete;
	}

	public boolean isProgressNotify() {
		return this.progressNotify;
	}

	public boolean isRequireLeader() {
		return this.requireLeader;
	}

	@Override
	public String toString() {
		return (this.prefix ? "prefix '" : "key '") + PrintableKey.of(this.key) + "'"
				+ ((this.fromRevision > 0) ? " from revision " + this.fromRevision : "");
	}

}
