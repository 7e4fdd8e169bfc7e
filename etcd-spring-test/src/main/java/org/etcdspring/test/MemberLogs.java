package org.etcdspring.test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads member log files, mostly to explain why a member did not start.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
final class MemberLogs {

	private static final int MAX_LINES = 20;

	private static final int MAX_BYTES = 16 * 1024;

	private MemberLogs() {
	}

	/**
	 * Format the last lines of each member's log, one section per member.
	 * @param members the members whose logs to include
	 * @return the formatted log tails, starting with a line break
	 */
	static String tails(List<EtcdMember> members) {
		StringBuilder tails = new StringBuilder();
		for (EtcdMember member : members) {
			tails.append(System.lineSeparator())
				.append("--- last lines of ")
				.append(member.name())
				.append(" log (")
				.append(member.logFile())
				.append(") ---");
			for (String line : lastLines(member.logFile())) {
				tails.append(System.lineSeparator()).append(line);
			}
		}
		return tails.toString();
	}

	/**
	 * Whether any member's log contains the given text.
	 * @param members the members whose logs to search
	 * @param text the text to look for
	 * @return {@code true} if at least one log contains {@code text}
	 */
	static boolean anyContains(List<EtcdMember> members, String text) {
		for (EtcdMember member : members) {
			try {
				if (new String(Files.readAllBytes(member.logFile()), StandardCharsets.UTF_8).contains(text)) {
					return true;
				}
			}
			catch (IOException ex) {
				// A member without a readable log has not logged anything yet
			}
		}
		return false;
	}

	private static List<String> lastLines(Path file) {
		try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
			long start = Math.max(0, log.length() - MAX_BYTES);
			byte[] bytes = new byte[(int) (log.length() - start)];
			log.seek(start);
			log.readFully(bytes);
			List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
			return lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size());
		}
		catch (IOException ex) {
			return List.of("(log not readable: " + ex.getMessage() + ")");
		}
	}

}
