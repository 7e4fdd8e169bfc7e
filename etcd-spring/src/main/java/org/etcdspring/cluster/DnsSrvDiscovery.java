package org.etcdspring.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;

import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

import org.jspecify.annotations.Nullable;

/**
 * Discovery through DNS SRV records, as etcd's own {@code --discovery-srv} does for
 * clients: {@code _etcd-client-ssl._tcp.<domain>} names https endpoints and
 * {@code _etcd-client._tcp.<domain>} http ones, asked only when there is no https one
 * (the two are never merged). Looked up with the JDK's JNDI DNS provider, against a given
 * DNS server or the system's resolver.
 *
 * @author etcd-spring
 */
final class DnsSrvDiscovery {

	private static final String[] SRV = { "SRV" };

	// Each try waits twice as long as the one before: 1 + 2 = 3 shares of the timeout
	private static final int TRIES = 2;

	private final String source;

	private final String domain;

	private final @Nullable URI dnsServer;

	private final Duration timeout;

	DnsSrvDiscovery(String source, String domain, @Nullable URI dnsServer, Duration timeout) {
		this.source = source;
		this.domain = domain;
		this.dnsServer = dnsServer;
		this.timeout = timeout;
	}

	List<URI> endpoints() {
		DirContext context = openContext();
		try {
			List<String> found = new ArrayList<>();
			// Never both: the https records, when there are any, stand for the whole
			// cluster
			List<URI> endpoints = lookup(context, "_etcd-client-ssl._tcp." + this.domain, "https", found);
			if (endpoints.isEmpty()) {
				endpoints = lookup(context, "_etcd-client._tcp." + this.domain, "http", found);
			}
			if (endpoints.isEmpty()) {
				throw failure("found no usable SRV record (" + String.join("; ", found) + ")", null);
			}
			return List.copyOf(endpoints);
		}
		finally {
			closeQuietly(context);
		}
	}

	private DirContext openContext() {
		Hashtable<String, String> environment = new Hashtable<>();
		environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
		if (this.dnsServer != null) {
			environment.put(Context.PROVIDER_URL, this.dnsServer.toString());
		}
		long initial = Math.max(1, this.timeout.toMillis() / ((1L << TRIES) - 1));
		environment.put("com.sun.jndi.dns.timeout.initial", Long.toString(initial));
		environment.put("com.sun.jndi.dns.timeout.retries", Integer.toString(TRIES));
		try {
			return new InitialDirContext(environment);
		}
		catch (NamingException ex) {
			throw failure("no DNS lookup is possible (" + ex + ")", ex);
		}
	}

	/**
	 * The endpoints of one SRV name, by priority and then weight; what was found is added
	 * to {@code found} for the message of a failed discovery.
	 */
	private List<URI> lookup(DirContext context, String name, String scheme, List<String> found) {
		List<String> values = new ArrayList<>();
		try {
			Attribute attribute = context.getAttributes(name, SRV).get("SRV");
			if (attribute != null) {
				NamingEnumeration<?> all = attribute.getAll();
				while (all.hasMore()) {
					values.add(String.valueOf(all.next()));
				}
			}
		}
		catch (NameNotFoundException ex) {
			found.add(name + ": name not found");
			return List.of();
		}
		catch (NamingException ex) {
			throw failure("the DNS lookup of " + name + " failed on " + describeServer() + " (" + ex + ")", ex);
		}
		found.add(name + ": " + (values.isEmpty() ? "no SRV record" : values));
		return values.stream()
			.map(SrvRecord::parse)
			.filter(Objects::nonNull)
			.sorted(Comparator.comparingInt(SrvRecord::priority)
				.thenComparing(SrvRecord::weight, Comparator.reverseOrder()))
			.map((record) -> URI.create(scheme + "://" + record.target() + ":" + record.port()))
			.toList();
	}

	private String describeServer() {
		return (this.dnsServer != null) ? "DNS server " + this.dnsServer.getAuthority() : "the system's DNS resolver";
	}

	private EtcdDiscoveryException failure(String problem, @Nullable Throwable cause) {
		return new EtcdDiscoveryException(this.source, problem + ", asking " + describeServer(), cause);
	}

	private static void closeQuietly(DirContext context) {
		try {
			context.close();
		}
		catch (NamingException ex) {
			// Nothing is held open between lookups: closing cannot lose anything
		}
	}

	/**
	 * One SRV record: {@code priority weight port target}.
	 */
	record SrvRecord(int priority, int weight, int port, String target) {

		/**
		 * Read a record as JNDI gives it.
		 * @return the record, or {@code null} when it is malformed or says that there is
		 * no such service (a target of ".")
		 */
		static @Nullable SrvRecord parse(String text) {
			String[] fields = text.strip().split("\\s+");
			if (fields.length != 4 || ".".equals(fields[3])) {
				return null;
			}
			String target = fields[3].endsWith(".") ? fields[3].substring(0, fields[3].length() - 1) : fields[3];
			try {
				int port = Integer.parseInt(fields[2]);
				return (port > 0)
						? new SrvRecord(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]), port, target) : null;
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

	}

}
