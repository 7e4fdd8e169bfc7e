package org.etcdspring.benchmarks.workloads;

import org.etcdspring.benchmarks.clients.Client;

/**
 * What holding many watches open cost one client. Memory and counts are the difference
 * between before opening and after every watch was established, each after a full GC.
 *
 * @param client the client
 * @param watches how many watches were opened
 * @param established how many the server confirmed in time
 * @param openSeconds from the first watch call until all were established (or the
 * timeout)
 * @param heapBytes heap used by the open watches
 * @param directBytes direct buffers held by the open watches
 * @param liveThreads live threads of the JVM with the watches open
 * @param startedThreads threads started from the first watch call until the measurement
 * @param peakThreads the most threads alive at once while opening
 * @param fileDescriptors file descriptors (sockets) added by the watches
 * @param etcdResidentBytes resident memory etcd added for the watches
 * @param probes how many watched keys were put to check that the watches deliver
 * @param delivered how many of those puts reached their callback
 * @param deliverySeconds from the first probe put until the last delivery
 * @param closeSeconds how long closing every watch took
 * @param note what went wrong, {@code null} when nothing did
 * @author etcd-spring
 */
public record ManyWatchesResult(Client client, int watches, int established, double openSeconds, long heapBytes,
		long directBytes, int liveThreads, long startedThreads, int peakThreads, long fileDescriptors,
		long etcdResidentBytes, int probes, int delivered, double deliverySeconds, double closeSeconds, String note) {

}
