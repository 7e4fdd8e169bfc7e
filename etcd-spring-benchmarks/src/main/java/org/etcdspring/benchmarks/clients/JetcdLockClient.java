package org.etcdspring.benchmarks.clients;

import java.time.Duration;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;

/**
 * jetcd's side of the lock workload: etcd's Lock service (which runs the
 * {@code concurrency.Mutex} recipe on the server) with a lease kept alive by jetcd.
 *
 * @author etcd-spring
 */
final class JetcdLockClient implements LockClient {

	private final Client client;

	private final Lock lock;

	private final long leaseId;

	private final CloseableClient keepAlive;

	JetcdLockClient(Client client, Duration ttl) {
		this.client = client;
		this.lock = client.getLockClient();
		this.leaseId = Futures.join(client.getLeaseClient().grant(ttl.toSeconds())).getID();
		this.keepAlive = client.getLeaseClient().keepAlive(this.leaseId, new StreamObserver<>() {

			@Override
			public void onNext(LeaseKeepAliveResponse response) {
			}

			@Override
			public void onError(Throwable error) {
				System.err.println("jetcd lock lease keep-alive failed: " + error);
			}

			@Override
			public void onCompleted() {
			}

		});
	}

	@Override
	public Held lock(String name) {
		ByteSequence key = Futures.join(this.lock.lock(JetcdKvClient.bytes(name), this.leaseId)).getKey();
		return () -> Futures.join(this.lock.unlock(key));
	}

	@Override
	public void close() {
		this.keepAlive.close();
		Futures.join(this.client.getLeaseClient().revoke(this.leaseId));
	}

}
