package org.etcdspring.core.transport;

import java.util.List;

/**
 * Stands for a message type added to the transport after its hints were written: no list
 * names it, and {@code TransportRuntimeHintsTests} checks that it gets its reflection
 * hints all the same.
 *
 * @param header the response header
 * @param items what the message carries
 * @author etcd-spring
 */
record NewMessageProbe(Kv.ResponseHeader header, List<Kv.KeyValue> items) {
}
