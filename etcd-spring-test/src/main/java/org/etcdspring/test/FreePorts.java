package org.etcdspring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds free TCP ports on the loopback interface.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
final class FreePorts {

	private FreePorts() {
	}

	/**
	 * Find {@code count} distinct ports that are free at the time of the call.
	 * @param count how many ports to find
	 * @return the port numbers
	 */
	static int[] find(int count) {
		// All sockets stay open until every port is known, so the ports are distinct
		List<ServerSocket> sockets = new ArrayList<>(count);
		try {
			for (int i = 0; i < count; i++) {
				sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
			}
			return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free loopback port", ex);
		}
		finally {
			sockets.forEach(FreePorts::closeQuietly);
		}
	}

	private static void closeQuietly(ServerSocket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// The port is still reported; etcd fails to bind it and the cluster start is
			// retried
		}
	}

}
