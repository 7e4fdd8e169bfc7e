package org.etcdspring.core;

import java.net.URI;
import java.util.List;

import org.etcdspring.EtcdTemplate;
import org.etcdspring.core.transport.EtcdTransport;

/**
 * The child JVM of {@link LargePrefixMemoryTests}: reads a prefix either into memory
 * ({@code list}, {@link EtcdTemplate#getPrefix}) or page by page ({@code each},
 * {@link EtcdTemplate#forEachInPrefix}) and prints one line starting with
 * {@value #RESULT} saying what came of it.
 */
public final class LargePrefixReader {

	static final String RESULT = "RESULT ";

	private LargePrefixReader() {
	}

	public static void main(String[] args) {
		String endpoint = args[0];
		String prefix = args[1];
		String mode = args[2];
		try (EtcdTransport transport = EtcdTransport.builder(List.of(URI.create(endpoint))).build()) {
			EtcdTemplate template = new EtcdTemplate(transport);
			if (mode.equals("each")) {
				long[] read = { 0, 0 };
				template.forEachInPrefix(prefix, (kv) -> {
					read[0]++;
					read[1] += kv.value().length;
				});
				System.out.println(RESULT + "read " + read[0] + " keys, " + read[1] + " bytes");
			}
			else {
				try {
					System.out.println(RESULT + "read " + template.getPrefix(prefix).size() + " keys into memory");
				}
				catch (EtcdPrefixTooLargeException ex) {
					System.out.println(RESULT + "too large: " + ex.getMessage());
				}
			}
			template.close();
		}
	}

}
