package org.etcdspring.core.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.etcdspring.core.Durations;
import org.etcdspring.core.EtcdAuthenticationException;
import org.etcdspring.core.EtcdException;
import org.etcdspring.core.EtcdResponseTooLargeException;
import org.etcdspring.core.EtcdThreads;
import org.etcdspring.core.PrintableKey;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The one place that talks HTTP to etcd's v3 JSON gateway: it picks the endpoint, puts a
 * deadline on every request, fails over between endpoints and turns every failure into an
 * {@link EtcdException}.
 *
 * <p>
 * Failover policy: the transport sticks to the endpoint that answered last. A call moves
 * to the next endpoint when the request certainly had no effect (the connection was
 * refused, or the server answered that it has no leader and proposed nothing), and an
 * idempotent call (a read) also when it may have reached the server (a timeout, a
 * connection dropped mid-call, an "unavailable" or "deadline exceeded" answer). A write
 * that may have been applied is never sent again: it fails at once with an exception that
 * says its outcome is unknown. Each attempt is bounded by the request timeout; when every
 * endpoint has failed once, the call goes round again after a short pause, for instance
 * while the cluster elects a new leader. When every endpoint refused the connection in a
 * row (nothing listens: etcd is down), the call fails at once.
 *
 * <p>
 * Deadlines: a call ends, answered or failed, within one request timeout per endpoint,
 * counted from its start; the pauses between rounds and the time it waits for a batch are
 * inside that bound. An interrupt ends only the interrupted caller's call.
 *
 * <p>
 * The DEBUG level of this class's logger shows one line per attempt: operation, path,
 * key, status, duration and endpoint; never headers or values.
 *
 * <h2>Why RestClient's converters, status handlers and observation are bypassed</h2>
 * <p>
 * Every unary call is a {@code RestClient.exchange} on the
 * {@code BlockingJdkClientHttpRequestFactory}, but the transport writes and reads the
 * JSON itself, reads the status itself, and is observed one level up. What each facility
 * would cost was measured by {@code UnaryCallPathsMain} in
 * {@code etcd-spring-benchmarks}: put and linearizable get, 1 and 32 callers, unbatched,
 * on this exchange and on the same path with each facility added (same request factory,
 * same wire mapping, same bytes on the wire), etcd 3.4.23 in plain HTTP, two runs of 5
 * rounds of 2 s on a shared 2-core machine at load average 21 to 31. Client CPU per call
 * relative to this exchange, lowest to highest of the eight measurements, mean in
 * brackets. For scale, the noise: the exchange's own figure moved by up to 8% at 32
 * callers and 36% at 1 caller between the two runs, and the transport with its own
 * observation came out cheaper than without it in 5 of 8 measurements.
 * <ul>
 * <li><b>Message converters and status handlers</b> ({@code body(request)},
 * {@code retrieve()}, {@code onStatus(HttpStatusCode::isError, ...)}, {@code body(Class)}
 * through a {@code JacksonJsonHttpMessageConverter} on the wire mapper, the only
 * converter registered): 0.98x to 1.15x (1.08x; 1.06x at 32 callers, 14 to 20 us more per
 * put). A small cost, near the noise, cheaper in one of the eight only (by 2%), and
 * nothing to gain from them: the request is written once into bytes, which go unchanged
 * to every endpoint the call fails over to and again after re-authenticating, where a
 * converter would write it again per attempt; the answer is read once as bytes, from
 * which either a cached {@code ObjectReader} makes the response or {@code GatewayError}
 * the failure, with the operation, key and endpoint that the error must name.
 * {@code onStatus} exists only after {@code retrieve()}, that is with the converters, and
 * replaces one comparison in the exchange callback.</li>
 * <li><b>Observation</b> ({@code RestClient.Builder.observationRegistry} with a meter
 * handler, as Spring Boot's actuator registers it): 1.02x to 1.25x (1.09x), 3 to 38 us
 * more per call. Bypassed above all because it observes the wrong unit: one HTTP exchange
 * is one attempt of a call (failover may make several) or one batch (about 15 operations
 * at 32 callers in {@code dev/benchmark}), tagged with a URI that is no template here
 * ({@code uri=none}). The transport is observed instead through its
 * {@link EtcdRequestObserver} ({@code etcd.client.requests}): once per operation the
 * application asked for, retries and batching included, with its operation, outcome and
 * key. Adding RestClient's would time each call twice.</li>
 * </ul>
 * <p>
 * None of these differences showed in throughput, which differed by up to 44% between
 * paths in no order of their cost; and in {@code dev/benchmark} at 32 callers a batch
 * spreads a per-exchange cost over about 15 operations. The streams bypass
 * {@code RestClient} altogether: it has no asynchronous streaming response, so
 * {@code StreamCall} uses the same {@link HttpClient}'s {@code sendAsync} and holds no
 * thread per open stream.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
public final class EtcdTransport implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(EtcdTransport.class);

	private static final byte[] NO_BODY = new byte[0];

	/**
	 * The highest limit {@link #callWithResponseLimit} takes: an answer is read into one
	 * array.
	 */
	public static final long MAX_RESPONSE_LIMIT = Integer.MAX_VALUE - 8;

	private static final long NO_RESPONSE_LIMIT = Long.MAX_VALUE;

	/**
	 * Batches sent at the same time: one fills while the other travels.
	 */
	private static final int MAX_BATCHES_IN_FLIGHT = 2;

	/**
	 * The pauses between rounds over the endpoints: 50 ms, doubled each round, at most 1
	 * s.
	 */
	static final BackOff ROUND_PAUSES;

	static {
		ExponentialBackOff pauses = new ExponentialBackOff(50, 2);
		pauses.setMaxInterval(1000);
		ROUND_PAUSES = pauses;
	}

	private volatile List<URI> endpoints;

	/**
	 * The scheme of the configured endpoints: the channel the user chose, which every
	 * endpoint learned later must use too.
	 */
	private final String scheme;

	private final boolean allowPlaintextCredentials;

	/**
	 * White space after the messages of a stream body that carries several: Go's
	 * {@code maxPostHandlerReadBytes} (256 KiB) and a margin.
	 */
	static final int STREAM_BODY_PADDING = (256 + 4) * 1024;

	private final List<URI> configuredEndpoints;

	/**
	 * The learned endpoints dropped last, warned about once.
	 */
	private volatile List<URI> droppedEndpoints = List.of();

	private final AtomicInteger current = new AtomicInteger();

	private final Duration requestTimeout;

	private final EtcdThreads threads;

	private final ExecutorService executor;

	private final ThreadPoolTaskExecutor batchSender;

	private final ThreadPoolTaskScheduler timer;

	private final HttpClient httpClient;

	private final RestClient restClient;

	private final ObjectReader reader;

	private final ObjectWriter writer;

	/**
	 * Readers and URLs are made once per response type and per endpoint and path, not per
	 * call.
	 */
	private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();

	private final Map<URI, Map<String, URI>> urls = new ConcurrentHashMap<>();

	/**
	 * Readers of stream lines (a message or an error), per message type.
	 */
	private final Map<Class<?>, ObjectReader> streamReaders = new ConcurrentHashMap<>();

	private final @Nullable AuthTokens authTokens;

	private final EtcdRequestObserver requestObserver;

	private final @Nullable OperationBatcher batcher;

	private EtcdTransport(Builder builder) {
		this.endpoints = builder.endpoints;
		this.scheme = builder.endpoints.get(0).getScheme();
		this.allowPlaintextCredentials = builder.allowPlaintextCredentials;
		this.configuredEndpoints = builder.endpoints;
		this.requestTimeout = builder.requestTimeout;
		this.threads = builder.threads;
		// A few threads serve every connection: the JDK client runs only short,
		// non-blocking
		// tasks on them, and open streams hold sockets, not threads. Each task is handed
		// straight to an idle thread, as in the JDK client's own default pool (a queue in
		// between cost 5% more CPU per call); when every thread is busy, the task waits
		// in
		// line for the next free one. It never runs on the thread that submits it, which
		// may
		// be the JDK client's selector thread: work there stalls every connection. The
		// pool is
		// tuned by hand, not a ThreadPoolTaskExecutor, whose threads take a lock before
		// and
		// after each task (to be paused with the context), a cost on every response here.
		int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
		this.executor = new ThreadPoolExecutor(0, threads, 30, TimeUnit.SECONDS, new HandoffQueue(),
				this.threads.threadFactory("etcd-http-"), EtcdTransport::queueWhileOpen);
		// Batches carry the operations of many callers, so they are sent from threads of
		// their
		// own: an interrupt of one caller must not end the exchange of the others.
		this.batchSender = this.threads.workers("etcd-batch-", MAX_BATCHES_IN_FLIGHT);
		this.timer = this.threads.timer("etcd-timer-");
		HttpClient.Builder httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(builder.connectTimeout)
			.executor(this.executor);
		if (builder.sslContext != null) {
			httpClient.sslContext(builder.sslContext);
		}
		if (builder.sslParameters != null) {
			httpClient.sslParameters(builder.sslParameters);
		}
		this.httpClient = httpClient.build();
		this.restClient = RestClient.builder()
			.requestFactory(new BlockingJdkClientHttpRequestFactory(this.httpClient, this.requestTimeout))
			.build();
		this.authTokens = (builder.username != null)
				? new AuthTokens(builder.username, (builder.password != null) ? builder.password : "") : null;
		if (this.authTokens != null && "http".equals(this.scheme)) {
			logger.warn("etcd credentials of user '" + builder.username + "' go over plain http to " + this.endpoints
					+ ": anyone on the network path can read the password and the token; use https endpoints");
		}
		this.requestObserver = builder.requestObserver;
		this.batcher = builder.batching ? new OperationBatcher(this::attemptOnCurrent, this.batchSender,
				builder.maxBatchOperations, builder.maxBatchBytes, MAX_BATCHES_IN_FLIGHT) : null;
		JsonMapper mapper = wireMapper();
		this.reader = mapper.reader();
		this.writer = mapper.writer();
	}

	private static void queueWhileOpen(Runnable task, ThreadPoolExecutor executor) {
		if (executor.isShutdown()) {
			// Refused, so the JDK client completes its work elsewhere
			throw new RejectedExecutionException("etcd transport closed");
		}
		((HandoffQueue) executor.getQueue()).enqueue(task);
	}

	/**
	 * Hands a task to an idle thread, or declines so that the pool starts a thread; once
	 * the pool is full, tasks wait here in line ({@link #enqueue}), at most one per event
	 * of the client's open connections.
	 */
	private static final class HandoffQueue extends LinkedTransferQueue<Runnable> {

		@Override
		public boolean offer(Runnable task) {
			return tryTransfer(task);
		}

		void enqueue(Runnable task) {
			super.offer(task);
		}

	}

	/**
	 * The JSON mapping of the gateway: snake_case names, int64 as strings, zero values
	 * left out, unknown fields ignored so that newer servers' additions do no harm.
	 */
	static JsonMapper wireMapper() {
		return JsonMapper.builder()
			.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.enable(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS)
			.changeDefaultPropertyInclusion(
					(inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_DEFAULT))
			.build();
	}

	/**
	 * Start building a transport for the given endpoints.
	 * @param endpoints the client URLs of the members, such as
	 * {@code http://127.0.0.1:2379}
	 * @return a builder
	 */
	public static Builder builder(List<URI> endpoints) {
		return new Builder(endpoints);
	}

	/**
	 * Send one call with the default request timeout.
	 * @param rpc the call
	 * @param request the request message, {@code null} for calls without a body
	 * @param key the decoded key, named in logs and errors; {@code null} for none
	 * @param <Q> the request type
	 * @param <R> the response type
	 * @return the response message
	 * @throws EtcdException when the call fails
	 */
	public <Q, R> R call(EtcdRpc<Q, R> rpc, @Nullable Q request, @Nullable String key) {
		return call(rpc, request, key, this.requestTimeout);
	}

	/**
	 * Send one call with a timeout of its own.
	 * @param rpc the call
	 * @param request the request message, {@code null} for calls without a body
	 * @param key the decoded key, named in logs and errors; {@code null} for none
	 * @param timeout the deadline of each attempt
	 * @param <Q> the request type
	 * @param <R> the response type
	 * @return the response message
	 * @throws EtcdException when the call fails
	 */
	public <Q, R> R call(EtcdRpc<Q, R> rpc, @Nullable Q request, @Nullable String key, Duration timeout) {
		Durations.requirePositive(timeout, "'timeout'");
		return this.requestObserver.observe(rpc.operation(), key, () -> {
			notSentWhenInterrupted(rpc, key);
			long deadline = System.nanoTime() + callBound(timeout);
			if (this.batcher != null && request != null && timeout.equals(this.requestTimeout)
					&& OperationBatcher.isBatchable(rpc, request)) {
				return callBatched(this.batcher, rpc, request, key, deadline);
			}
			return send(rpc, request, key, timeout, deadline, NO_RESPONSE_LIMIT);
		});
	}

	/**
	 * Send one call, alone (never in a batch), with the default request timeout, reading
	 * no more than the given number of bytes of its answer: an answer that grows past the
	 * limit is not read further and fails the call with an
	 * {@link EtcdResponseTooLargeException}. That failure is not retried on another
	 * endpoint (it would get the same answer) and says nothing against this one.
	 * @param rpc the call
	 * @param request the request message
	 * @param key the decoded key, named in logs and errors; {@code null} for none
	 * @param maxResponseBytes the most bytes of the answer's body the call may read,
	 * between 1 and {@value #MAX_RESPONSE_LIMIT}
	 * @param <Q> the request type
	 * @param <R> the response type
	 * @return the response message
	 * @throws EtcdResponseTooLargeException when the answer is larger than the limit
	 * @throws EtcdException when the call fails otherwise
	 */
	public <Q, R> R callWithResponseLimit(EtcdRpc<Q, R> rpc, Q request, @Nullable String key, long maxResponseBytes) {
		Assert.notNull(request, "'request' must not be null");
		Assert.isTrue(maxResponseBytes > 0 && maxResponseBytes <= MAX_RESPONSE_LIMIT,
				() -> "'maxResponseBytes' must be between 1 and " + MAX_RESPONSE_LIMIT + ", was " + maxResponseBytes);
		return this.requestObserver.observe(rpc.operation(), key, () -> {
			notSentWhenInterrupted(rpc, key);
			long deadline = System.nanoTime() + callBound(this.requestTimeout);
			return send(rpc, request, key, this.requestTimeout, deadline, maxResponseBytes);
		});
	}

	/**
	 * The deadline of a whole call in nanoseconds: one attempt timeout per endpoint,
	 * pauses between rounds and time waiting for a batch included.
	 */
	private long callBound(Duration timeout) {
		return timeout.toNanos() * this.endpoints.size();
	}

	/**
	 * Send nothing on an interrupted thread: the interruption belongs to its caller, and
	 * a call it never sent has a known outcome.
	 */
	private static void notSentWhenInterrupted(EtcdRpc<?, ?> rpc, @Nullable String key) {
		if (Thread.currentThread().isInterrupted()) {
			throw new EtcdException(
					GatewayErrorTranslator.describe(rpc.operation(), key)
							+ ": the calling thread was interrupted before the call; it was not sent",
					rpc.operation(), key, null, null);
		}
	}

	/**
	 * Send one call: authenticated, failed over, retried as the policy allows.
	 */
	private <R> R send(EtcdRpc<?, R> rpc, @Nullable Object request, @Nullable String key, Duration timeout,
			long deadline, long maxResponseBytes) {
		byte[] body = (request != null) ? this.writer.writeValueAsBytes(request) : NO_BODY;
		// One bound for the whole call, a retry after authenticating again included
		String token = token(rpc, deadline);
		try {
			return callEndpoints(rpc, body, key, timeout, deadline, token, maxResponseBytes);
		}
		catch (EtcdAuthenticationException ex) {
			AuthTokens authTokens = this.authTokens;
			if (authTokens == null || !AuthTokens.isTokenRejected(ex)) {
				throw ex;
			}
			if (!mayAuthenticateAgain(authTokens, token) || System.nanoTime() >= deadline) {
				throw ex;
			}
			return callEndpoints(rpc, body, key, timeout, deadline, token(rpc, deadline), maxResponseBytes);
		}
	}

	/**
	 * Whether a call whose token (or lack of one) the server rejected may authenticate
	 * and go again: once the token expired or the server restarted, or once the server
	 * that had no authentication enabled it.
	 */
	private static boolean mayAuthenticateAgain(AuthTokens authTokens, @Nullable String token) {
		if (token != null) {
			authTokens.invalidate(token);
			return true;
		}
		if (authTokens.isAuthenticationDisabled()) {
			authTokens.authenticationEnabled();
			return true;
		}
		return false;
	}

	/**
	 * A call that may join a batch. Each attempt goes out in a batch (or alone) on the
	 * current endpoint; when it fails, this caller, on its own thread, decides as for a
	 * call of its own whether to go on to the next endpoint, within its own deadline.
	 */
	private <R> R callBatched(OperationBatcher batcher, EtcdRpc<?, R> rpc, Object request, @Nullable String key,
			long deadline) {
		Retries retries = null;
		while (true) {
			try {
				return batcher.submit(rpc, request, key, deadline);
			}
			catch (OperationBatcher.SendAlone ex) {
				// The batch failed for one of its operations: each goes again alone, to
				// get its own answer.
				return send(rpc, request, key, this.requestTimeout, deadline, NO_RESPONSE_LIMIT);
			}
			catch (FailedAttempt ex) {
				retries = (retries != null) ? retries : new Retries(this.endpoints.size(), deadline);
				retries.afterFailure(ex);
			}
		}
	}

	/**
	 * One attempt on the current endpoint, for the batcher: the transport's endpoint and
	 * authentication, no failover (the callers decide that, each for its operation).
	 */
	private <R> R attemptOnCurrent(EtcdRpc<?, R> rpc, Object request, @Nullable String key, long deadline) {
		byte[] body = this.writer.writeValueAsBytes(request);
		URI endpoint = currentEndpoint();
		String token = token(rpc, deadline);
		try {
			return attempt(endpoint, rpc, body, key, attemptTimeout(this.requestTimeout, deadline), token,
					NO_RESPONSE_LIMIT);
		}
		catch (FailedAttempt ex) {
			AuthTokens authTokens = this.authTokens;
			if (ex.failure instanceof EtcdAuthenticationException authentication && authTokens != null
					&& AuthTokens.isTokenRejected(authentication) && mayAuthenticateAgain(authTokens, token)
					&& System.nanoTime() < deadline) {
				return attempt(endpoint, rpc, body, key, attemptTimeout(this.requestTimeout, deadline),
						token(rpc, deadline), NO_RESPONSE_LIMIT);
			}
			if (ex.isTransient() && !endedByInterrupt(ex)) {
				// Later calls start from the next endpoint.
				markFailed(endpoint);
			}
			throw ex;
		}
	}

	/**
	 * How many transactions carried operations of several callers.
	 * @return the number of batches sent
	 */
	public long batchCount() {
		return (this.batcher != null) ? this.batcher.batchCount() : 0;
	}

	/**
	 * How many operations went out in batches.
	 * @return the number of batched operations
	 */
	public long batchedOperationCount() {
		return (this.batcher != null) ? this.batcher.batchedOperationCount() : 0;
	}

	private @Nullable String token(EtcdRpc<?, ?> rpc, long deadline) {
		return (this.authTokens != null && rpc != Auth.AUTHENTICATE)
				? this.authTokens.token((request, timeout) -> call(Auth.AUTHENTICATE, request, null, timeout), deadline,
						this.endpoints.size())
				: null;
	}

	private long defaultDeadline() {
		return System.nanoTime() + callBound(this.requestTimeout);
	}

	private <R> R callEndpoints(EtcdRpc<?, R> rpc, byte[] body, @Nullable String key, Duration timeout, long deadline,
			@Nullable String token, long maxResponseBytes) {
		List<URI> endpoints = this.endpoints;
		int count = endpoints.size();
		int first = Math.floorMod(this.current.get(), count);
		Retries retries = null;
		for (int attempt = 1;; attempt++) {
			int index = (first + attempt - 1) % count;
			try {
				R response = attempt(endpoints.get(index), rpc, body, key, attemptTimeout(timeout, deadline), token,
						maxResponseBytes);
				if (index != first) {
					this.current.set(index);
				}
				return response;
			}
			catch (FailedAttempt ex) {
				if (ex.retryable && !endedByInterrupt(ex)) {
					// This endpoint failed: later calls start from the next one.
					this.current.compareAndSet(index, index + 1);
				}
				retries = (retries != null) ? retries : new Retries(count, deadline);
				retries.afterFailure(ex);
			}
		}
	}

	/**
	 * Whether the attempt ended because its thread was interrupted: the caller's own
	 * doing, which says nothing about the endpoint, so no other caller may be moved off
	 * it.
	 */
	private static boolean endedByInterrupt(FailedAttempt ex) {
		return ex.interrupted() || Thread.currentThread().isInterrupted();
	}

	/**
	 * Whether a call goes on after a failed attempt, and the pause between rounds.
	 */
	private static final class Retries {

		private final int endpoints;

		private final long deadline;

		private int failed;

		private int refusedInARow;

		private @Nullable BackOffExecution pauses;

		Retries(int endpoints, long deadline) {
			this.endpoints = endpoints;
			this.deadline = deadline;
		}

		/**
		 * Return to try again, or throw the attempt's failure.
		 */
		void afterFailure(FailedAttempt ex) {
			this.failed++;
			this.refusedInARow = ex.refused() ? this.refusedInARow + 1 : 0;
			if (!ex.retryable || Thread.currentThread().isInterrupted() || System.nanoTime() >= this.deadline) {
				throw ex.failure;
			}
			if (this.refusedInARow >= this.endpoints) {
				// Every endpoint refused the connection: nothing listens there, and
				// waiting
				// for the request timeout would not change that. Fail now.
				throw ex.failure;
			}
			if (this.failed % this.endpoints == 0) {
				// Every endpoint failed once; an election, say, may be over after a pause
				if (this.pauses == null) {
					this.pauses = ROUND_PAUSES.start();
				}
				pauseBeforeRound(this.pauses.nextBackOff(), this.deadline, ex.failure);
			}
		}

	}

	private static Duration attemptTimeout(Duration timeout, long deadline) {
		long remaining = deadline - System.nanoTime();
		return (remaining < timeout.toNanos()) ? Duration.ofNanos(Math.max(remaining, 1)) : timeout;
	}

	/**
	 * Send one call to the given endpoint only, with the default request timeout and no
	 * failover: for questions about one member, such as its status.
	 * @param endpoint the endpoint, which need not be one of {@link #endpoints()}
	 * @param rpc the call
	 * @param request the request message, {@code null} for calls without a body
	 * @param key the decoded key, named in logs and errors; {@code null} for none
	 * @param <Q> the request type
	 * @param <R> the response type
	 * @return the response message
	 * @throws EtcdException when the call fails
	 */
	public <Q, R> R callEndpoint(URI endpoint, EtcdRpc<Q, R> rpc, @Nullable Q request, @Nullable String key) {
		URI checked = checkEndpoints(List.of(endpoint), false).get(0);
		byte[] body = (request != null) ? this.writer.writeValueAsBytes(request) : NO_BODY;
		try {
			return attempt(checked, rpc, body, key, this.requestTimeout, token(rpc, defaultDeadline()),
					NO_RESPONSE_LIMIT);
		}
		catch (FailedAttempt ex) {
			throw ex.failure;
		}
	}

	private <R> R attempt(URI endpoint, EtcdRpc<?, R> rpc, byte[] body, @Nullable String key, Duration timeout,
			@Nullable String token, long maxResponseBytes) {
		if ((token != null || rpc == Auth.AUTHENTICATE) && !this.scheme.equals(endpoint.getScheme())) {
			// Never reached through the endpoint list, whose endpoints all share the
			// scheme
			throw new FailedAttempt(new EtcdAuthenticationException("etcd credentials are not sent to " + endpoint
					+ ": its scheme is not the configured " + this.scheme, rpc.operation(), key, endpoint.toString(),
					null), false, endpoint, null, null, Duration.ZERO);
		}
		long start = System.nanoTime();
		try {
			return exchange(endpoint, rpc, body, key, timeout, token, start, maxResponseBytes);
		}
		catch (ResourceAccessException ex) {
			if (ex.getCause() instanceof LimitedBodySubscriber.BodyTooLargeException tooLarge) {
				// Not a failure of the endpoint, and the same answer anywhere else: no
				// FailedAttempt, so neither failover nor a retry.
				log(rpc, key, "answer larger than " + tooLarge.maxBytes() + " bytes, not read further", start,
						endpoint.toString());
				throw new EtcdResponseTooLargeException(
						GatewayErrorTranslator.describe(rpc.operation(), key, endpoint.toString())
								+ ": the answer is larger than " + tooLarge.maxBytes()
								+ " bytes, the most this call may read; it was not read further",
						rpc.operation(), key, endpoint.toString(), tooLarge.maxBytes());
			}
			IOException cause = (ex.getCause() instanceof IOException io) ? io : new IOException(ex);
			log(rpc, key, "failed (" + cause + ")", start, endpoint.toString());
			throw FailedAttempt.of(cause, rpc.operation(), key, endpoint, rpc.idempotent(), timeout);
		}
		catch (GatewayFailure ex) {
			throw FailedAttempt.of(ex.error, rpc.operation(), key, endpoint, rpc.idempotent());
		}
	}

	private static void pauseBeforeRound(long pauseMillis, long deadline, EtcdException failure) {
		long remaining = deadline - System.nanoTime();
		if (remaining <= 0) {
			throw failure;
		}
		long pause = Math.min(TimeUnit.MILLISECONDS.toNanos(pauseMillis), remaining);
		try {
			Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failure;
		}
	}

	/**
	 * Open a streaming call on the current endpoint. The server must start answering
	 * within the request timeout; after that the stream stays open until it fails or is
	 * cancelled. A stream that fails for want of a connection moves later calls to the
	 * next endpoint.
	 * @param rpc the call
	 * @param request the request message
	 * @param key the decoded key, named in logs and errors; {@code null} for none
	 * @param observer receives the messages
	 * @param <Q> the request type
	 * @param <R> the message type
	 * @return the stream, to cancel it
	 */
	public <Q, R> EtcdStream openStream(EtcdRpc<Q, R> rpc, Q request, @Nullable String key,
			StreamObserver<R> observer) {
		return openStream(rpc, request, key, observer, false);
	}

	/**
	 * Open a streaming call on the current endpoint, as
	 * {@link #openStream(EtcdRpc, Object, String, StreamObserver)} does, optionally
	 * requiring a leader: the member then ends the stream with "no leader" (an
	 * {@link org.etcdspring.core.EtcdUnavailableException}) as soon as it has none,
	 * instead of staying silent while cut off from the majority.
	 * @param rpc the call
	 * @param request the request message
	 * @param key the decoded key, named in logs and errors; {@code null} for none
	 * @param observer receives the messages
	 * @param requireLeader whether the member must have a leader
	 * @param <Q> the request type
	 * @param <R> the message type
	 * @return the stream, to cancel it
	 */
	public <Q, R> EtcdStream openStream(EtcdRpc<Q, R> rpc, Q request, @Nullable String key, StreamObserver<R> observer,
			boolean requireLeader) {
		return openStream(rpc, List.of(request), key, observer, requireLeader);
	}

	/**
	 * Open a streaming call whose request body carries several messages, one after the
	 * other, as {@link #openStream(EtcdRpc, Object, String, StreamObserver, boolean)}
	 * does for one. Every message is sent when the stream opens; none can be added later
	 * (over HTTP/1.1 the server drops what comes after its answer has started).
	 * @param rpc the call
	 * @param requests the request messages, at least one
	 * @param key the decoded key, named in logs and errors; {@code null} for none
	 * @param observer receives the messages
	 * @param requireLeader whether the member must have a leader
	 * @param <Q> the request type
	 * @param <R> the message type
	 * @return the stream, to cancel it
	 */
	public <Q, R> EtcdStream openStream(EtcdRpc<Q, R> rpc, List<Q> requests, @Nullable String key,
			StreamObserver<R> observer, boolean requireLeader) {
		Assert.notEmpty(requests, "'requests' must not be empty");
		byte[] body = streamBody(requests);
		String token = token(rpc, defaultDeadline());
		AuthTokens authTokens = this.authTokens;
		URI endpoint = currentEndpoint();
		ObjectReader lineReader = this.streamReaders.computeIfAbsent(rpc.responseType(), (type) -> this.reader
			.forType(this.reader.typeFactory().constructParametricType(StreamCall.Envelope.class, type)));
		StreamCall<R> call = new StreamCall<>(rpc, key, endpoint, lineReader, this.reader, new StreamObserver<>() {

			@Override
			public void onNext(R message, EtcdStream stream) {
				observer.onNext(message, stream);
			}

			@Override
			public void onError(EtcdException error) {
				if (token != null && authTokens != null && error instanceof EtcdAuthenticationException authentication
						&& AuthTokens.isTokenRejected(authentication)) {
					authTokens.invalidate(token);
				}
				observer.onError(error);
			}

		}, this::markFailed);
		log(rpc, key, "stream opened", System.nanoTime(), endpoint.toString());
		call.start(this.httpClient, body, token, requireLeader, this.timer.getScheduledExecutor(), this.requestTimeout);
		return call;
	}

	/**
	 * An endpoint was found not to answer: later calls and streams start from the next
	 * one.
	 * @param endpoint the endpoint
	 */
	public void markFailed(URI endpoint) {
		List<URI> endpoints = this.endpoints;
		int index = endpoints.indexOf(endpoint);
		int current = this.current.get();
		if (index >= 0 && Math.floorMod(current, endpoints.size()) == index) {
			this.current.compareAndSet(current, index + 1);
		}
	}

	private <R> R exchange(URI endpoint, EtcdRpc<?, R> rpc, byte[] body, @Nullable String key, Duration timeout,
			@Nullable String token, long start, long maxResponseBytes) {
		RestClient.RequestBodySpec request = this.restClient.method(rpc.method())
			.uri(this.urls.computeIfAbsent(endpoint, (base) -> new ConcurrentHashMap<>())
				.computeIfAbsent(rpc.path(), endpoint::resolve))
			.attribute(BlockingJdkClientHttpRequestFactory.TIMEOUT_ATTRIBUTE, timeout);
		if (maxResponseBytes != NO_RESPONSE_LIMIT) {
			request.attribute(BlockingJdkClientHttpRequestFactory.MAX_RESPONSE_BYTES_ATTRIBUTE, maxResponseBytes);
		}
		if (token != null) {
			// The bare token: etcd before 3.5 rejects a "Bearer " prefix.
			request.header(HttpHeaders.AUTHORIZATION, token);
		}
		if (body.length > 0) {
			// Already JSON: sent as it is, past the message converters and their media
			// type
			// parsing, which cost more per call than the rest of the request
			request.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
				.body(BlockingJdkClientHttpRequestFactory.body(body));
		}
		return request.exchange((clientRequest, response) -> {
			int status = response.getStatusCode().value();
			byte[] payload = response.getBody().readAllBytes();
			log(rpc, key, String.valueOf(status), start, endpoint.toString());
			if (status / 100 != 2) {
				throw new GatewayFailure(GatewayError.parse(status, payload, this.reader));
			}
			try {
				return this.readers.computeIfAbsent(rpc.responseType(), this.reader::forType).readValue(payload);
			}
			catch (JacksonException ex) {
				throw new EtcdException(
						GatewayErrorTranslator.describe(rpc.operation(), key, endpoint.toString())
								+ ": unexpected answer (" + ex.getOriginalMessage() + ")",
						rpc.operation(), key, endpoint.toString(), ex);
			}
		});
	}

	private void log(EtcdRpc<?, ?> rpc, @Nullable String key, String outcome, long start, String endpoint) {
		if (logger.isDebugEnabled()) {
			double millis = (System.nanoTime() - start) / 1_000_000.0;
			logger.debug(String.format("%s %s%s -> %s in %.1f ms via %s", rpc.method(), rpc.path(),
					(key != null) ? " key='" + PrintableKey.of(key) + "'" : "", outcome, millis, endpoint));
		}
	}

	/**
	 * The client URLs this transport uses, in order.
	 * @return the endpoints
	 */
	public List<URI> endpoints() {
		return this.endpoints;
	}

	/**
	 * The endpoint the next call goes to first.
	 * @return the current endpoint
	 */
	public URI currentEndpoint() {
		List<URI> endpoints = this.endpoints;
		return endpoints.get(Math.floorMod(this.current.get(), endpoints.size()));
	}

	/**
	 * Replace the endpoints, for example with the client URLs of the current members.
	 * Calls stay on the current endpoint when it is still in the list.
	 * @param endpoints the new endpoints
	 */
	public void updateEndpoints(List<URI> endpoints) {
		List<URI> updated = usableEndpoints(endpoints);
		if (updated.isEmpty()) {
			throw new EtcdException(
					"none of the etcd endpoints " + endpoints.stream().map(EtcdTransport::withoutUserInfo).toList()
							+ " may be used: " + channelRule() + "; the endpoints stay " + this.endpoints,
					"update endpoints", null, null, null);
		}
		synchronized (this) {
			URI current = currentEndpoint();
			this.endpoints = updated;
			this.current.set(Math.max(updated.indexOf(current), 0));
		}
		if (logger.isDebugEnabled()) {
			logger.debug("etcd endpoints are now " + updated);
		}
	}

	/**
	 * The endpoints, among the given ones learned at run time (from the member list,
	 * say), that this transport may use: those of the configured scheme and, when
	 * credentials are set, never a plain http one unless
	 * {@link Builder#allowPlaintextCredentials(boolean) allowed}; user info in a URL is
	 * dropped. The others are left out with one warning that names them.
	 * @param learned the candidate endpoints
	 * @return the usable endpoints, possibly none
	 */
	public List<URI> usableEndpoints(List<URI> learned) {
		List<URI> usable = new ArrayList<>();
		List<URI> dropped = new ArrayList<>();
		for (URI endpoint : checkEndpoints(learned, false)) {
			(mayUse(endpoint) ? usable : dropped).add(endpoint);
		}
		if (!dropped.isEmpty() && !dropped.equals(this.droppedEndpoints)) {
			logger.warn("etcd endpoints " + dropped + " are not used: " + channelRule());
		}
		this.droppedEndpoints = List.copyOf(dropped);
		return List.copyOf(usable);
	}

	private boolean mayUse(URI endpoint) {
		if (!this.scheme.equals(endpoint.getScheme())) {
			return false;
		}
		return this.configuredEndpoints.contains(endpoint) || this.authTokens == null
				|| !"http".equals(endpoint.getScheme()) || this.allowPlaintextCredentials;
	}

	private String channelRule() {
		String rule = "endpoints learned at run time must use the configured scheme (" + this.scheme + ")";
		if (this.authTokens != null && "http".equals(this.scheme) && !this.allowPlaintextCredentials) {
			rule += ", and with credentials set they must not be plain http unless plain-text credentials are allowed";
		}
		return rule;
	}

	/**
	 * The endpoints as {@code scheme://host:port}, checked; configured endpoints must
	 * share one scheme and carry no user info, learned ones lose their user info.
	 */
	private static List<URI> checkEndpoints(List<URI> endpoints, boolean configured) {
		Assert.notEmpty(endpoints, "'endpoints' must not be empty");
		for (URI endpoint : endpoints) {
			Assert.notNull(endpoint, "'endpoints' must not contain null");
			Assert.isTrue("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()),
					() -> "etcd endpoint '" + withoutUserInfo(endpoint) + "' must be an http:// or https:// URL");
			Assert.isTrue(endpoint.getHost() != null && endpoint.getPort() > 0, () -> "etcd endpoint '"
					+ withoutUserInfo(endpoint) + "' must name a host and a port, such as http://127.0.0.1:2379");
			Assert.isTrue(!configured || endpoint.getRawUserInfo() == null,
					() -> "etcd endpoint '" + withoutUserInfo(endpoint)
							+ "' must not carry user info: pass the user and password as credentials");
		}
		List<URI> checked = endpoints.stream().map(EtcdTransport::withoutUserInfo).distinct().toList();
		Assert.isTrue(!configured || checked.stream().map(URI::getScheme).distinct().count() == 1,
				() -> "etcd endpoints " + checked + " mix http and https: use one scheme for every endpoint, "
						+ "so that credentials and data travel only over the channel chosen");
		return checked;
	}

	private static URI withoutUserInfo(URI endpoint) {
		String port = (endpoint.getPort() > 0) ? ":" + endpoint.getPort() : "";
		return URI.create(endpoint.getScheme() + "://" + endpoint.getHost() + port);
	}

	/**
	 * The threads of this client, for the work done on its behalf (leases, watches).
	 * @return the threads
	 */
	public EtcdThreads threads() {
		return this.threads;
	}

	/**
	 * The default deadline of each request.
	 * @return the request timeout
	 */
	public Duration requestTimeout() {
		return this.requestTimeout;
	}

	@Override
	public void close() {
		if (this.httpClient instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				logger.debug("Closing the HTTP client failed", ex);
			}
		}
		this.executor.shutdownNow();
		this.batchSender.shutdown();
		this.timer.shutdown();
	}

	/**
	 * The body of a stream: the messages, and after several of them
	 * {@link #STREAM_BODY_PADDING} bytes of white space.
	 * <p>
	 * Why: the gateway decodes the messages of the body while the server already answers
	 * the first ones, and Go's HTTP/1.1 server, once the response starts, throws away
	 * what the handler has not read of the request body yet, unless at least 256 KiB of
	 * it are left. Measured on etcd 3.4.23 and 3.5.30 with 1,000 create requests in one
	 * body: as few as 9 watches were created. With the padding, either the messages are
	 * all read already or that much is left, so none is lost; the gateway's decoder skips
	 * white space. The body has a length (never chunked, whose rest is always thrown
	 * away).
	 */
	private byte[] streamBody(List<?> requests) {
		if (requests.size() == 1) {
			return this.writer.writeValueAsBytes(requests.get(0));
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream(128 * requests.size() + STREAM_BODY_PADDING);
		for (Object request : requests) {
			body.writeBytes(this.writer.writeValueAsBytes(request));
			body.write('\n');
		}
		byte[] padding = new byte[STREAM_BODY_PADDING];
		Arrays.fill(padding, (byte) ' ');
		body.writeBytes(padding);
		return body.toByteArray();
	}

	/**
	 * A gateway error answer on its way out of the exchange callback.
	 */
	private static final class GatewayFailure extends RuntimeException {

		private final GatewayError error;

		GatewayFailure(GatewayError error) {
			super(error.message(), null, false, false);
			this.error = error;
		}

	}

	/**
	 * A failed attempt: the failure to report and whether the call may go on elsewhere,
	 * with what caused it, so that each operation of a failed batch can be told what it
	 * would have been told alone.
	 */
	static final class FailedAttempt extends RuntimeException {

		final EtcdException failure;

		final boolean retryable;

		private final URI endpoint;

		private final @Nullable IOException ioFailure;

		private final @Nullable GatewayError error;

		private final Duration timeout;

		private FailedAttempt(EtcdException failure, boolean retryable, URI endpoint, @Nullable IOException ioFailure,
				@Nullable GatewayError error, Duration timeout) {
			super(failure.getMessage(), null, false, false);
			this.failure = failure;
			this.retryable = retryable;
			this.endpoint = endpoint;
			this.ioFailure = ioFailure;
			this.error = error;
			this.timeout = timeout;
		}

		static FailedAttempt of(IOException failure, String operation, @Nullable String key, URI endpoint,
				boolean idempotent, Duration timeout) {
			return new FailedAttempt(
					GatewayErrorTranslator.translate(failure, operation, key, endpoint.toString(), idempotent, timeout),
					GatewayErrorTranslator.mayRetry(failure, idempotent), endpoint, failure, null, timeout);
		}

		static FailedAttempt of(GatewayError error, String operation, @Nullable String key, URI endpoint,
				boolean idempotent) {
			return new FailedAttempt(
					GatewayErrorTranslator.translate(error, operation, key, endpoint.toString(), idempotent),
					GatewayErrorTranslator.mayRetry(error, idempotent), endpoint, null, error, Duration.ZERO);
		}

		/**
		 * The same failure as one operation sent alone would have seen it.
		 */
		FailedAttempt restate(String operation, @Nullable String key, boolean idempotent) {
			if (this.ioFailure != null) {
				return of(this.ioFailure, operation, key, this.endpoint, idempotent, this.timeout);
			}
			Assert.state(this.error != null, "A failed attempt has an I/O failure or a gateway error");
			return of(this.error, operation, key, this.endpoint, idempotent);
		}

		/**
		 * Whether the failure is about one operation of a batch, not the batch.
		 */
		boolean belongsToOneOperation() {
			return this.error != null && GatewayErrorTranslator.belongsToOneOperation(this.error);
		}

		/**
		 * Whether the thread waiting for the answer was interrupted.
		 */
		boolean interrupted() {
			return this.ioFailure instanceof InterruptedIOException;
		}

		/**
		 * Whether the member refused the connection.
		 */
		boolean refused() {
			return this.ioFailure != null && GatewayErrorTranslator.isRefused(this.ioFailure);
		}

		/**
		 * Whether the endpoint failed, rather than the request: no connection, no answer
		 * in time, or an answer that the member cannot serve now.
		 */
		boolean isTransient() {
			return this.failure.isTransient();
		}

	}

	/**
	 * Builds an {@link EtcdTransport}.
	 */
	public static final class Builder {

		private final List<URI> endpoints;

		private Duration connectTimeout = Duration.ofSeconds(5);

		private Duration requestTimeout = Duration.ofSeconds(10);

		private @Nullable SSLContext sslContext;

		private @Nullable SSLParameters sslParameters;

		private boolean allowPlaintextCredentials;

		private @Nullable String username;

		private @Nullable String password;

		private EtcdRequestObserver requestObserver = EtcdRequestObserver.NONE;

		private boolean batching = true;

		private int maxBatchOperations = 128;

		private long maxBatchBytes = 1024 * 1024;

		private EtcdThreads threads = EtcdThreads.platform();

		private Builder(List<URI> endpoints) {
			this.endpoints = checkEndpoints(endpoints, true);
		}

		/**
		 * How long to wait for a TCP (and TLS) connection. Default 5 seconds.
		 * @param connectTimeout a positive duration
		 * @return this builder
		 */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = Durations.requirePositive(connectTimeout, "'connectTimeout'");
			return this;
		}

		/**
		 * The deadline of each request. Default 10 seconds.
		 * @param requestTimeout a positive duration
		 * @return this builder
		 */
		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = Durations.requirePositive(requestTimeout, "'requestTimeout'");
			return this;
		}

		/**
		 * The TLS context for {@code https} endpoints.
		 * @param sslContext the context, or {@code null} for the JVM's default
		 * @return this builder
		 */
		public Builder sslContext(@Nullable SSLContext sslContext) {
			this.sslContext = sslContext;
			return this;
		}

		/**
		 * The TLS parameters of every connection, such as the enabled protocols and
		 * cipher suites. The host name is verified whatever they say.
		 * @param sslParameters the parameters, or {@code null} for the context's defaults
		 * @return this builder
		 */
		public Builder sslParameters(@Nullable SSLParameters sslParameters) {
			this.sslParameters = sslParameters;
			return this;
		}

		/**
		 * Whether endpoints learned at run time (from the member list) may receive the
		 * credentials over plain http. Off by default: with credentials set, such
		 * endpoints are left out. Configured endpoints are used as given, with a warning
		 * when they are plain http.
		 * @param allowPlaintextCredentials whether to allow it
		 * @return this builder
		 */
		public Builder allowPlaintextCredentials(boolean allowPlaintextCredentials) {
			this.allowPlaintextCredentials = allowPlaintextCredentials;
			return this;
		}

		/**
		 * Authenticate as this user: the transport obtains a token from
		 * {@code /v3/auth/authenticate}, sends it with every call and stream, and obtains
		 * a new one when the server rejects it.
		 * @param username the user, {@code null} for no authentication
		 * @param password the password
		 * @return this builder
		 */
		public Builder credentials(@Nullable String username, @Nullable String password) {
			Assert.isTrue(username == null || !username.isEmpty(), "'username' must not be empty");
			this.username = username;
			this.password = password;
			return this;
		}

		/**
		 * Observe each call, for metrics and traces.
		 * @param requestObserver the observer
		 * @return this builder
		 */
		public Builder requestObserver(EtcdRequestObserver requestObserver) {
			Assert.notNull(requestObserver, "'requestObserver' must not be null");
			this.requestObserver = requestObserver;
			return this;
		}

		/**
		 * Whether operations of concurrent callers (single-key and range reads, puts and
		 * deletes) are sent together as one transaction. On by default; a lone caller is
		 * never delayed.
		 * @param batching whether to batch
		 * @return this builder
		 */
		public Builder batching(boolean batching) {
			this.batching = batching;
			return this;
		}

		/**
		 * The most operations in one batch; at most the server's {@code --max-txn-ops}
		 * (128 by default).
		 * @param maxBatchOperations a number from 2
		 * @return this builder
		 */
		public Builder maxBatchOperations(int maxBatchOperations) {
			Assert.isTrue(maxBatchOperations >= 2, "'maxBatchOperations' must be at least 2");
			this.maxBatchOperations = maxBatchOperations;
			return this;
		}

		/**
		 * The most bytes of keys and values in one batch; keep it below the server's
		 * {@code --max-request-bytes} (1.5 MiB by default). An operation larger than this
		 * goes alone.
		 * @param maxBatchBytes a positive number of bytes
		 * @return this builder
		 */
		public Builder maxBatchBytes(long maxBatchBytes) {
			Assert.isTrue(maxBatchBytes > 0, "'maxBatchBytes' must be positive");
			this.maxBatchBytes = maxBatchBytes;
			return this;
		}

		/**
		 * Whether the blocking work of this client (sending batches, renewing leases,
		 * telling watch listeners) runs on virtual threads; timers stay platform threads.
		 * Off by default; needs Java 21 or later.
		 * @param virtualThreads whether to use virtual threads
		 * @return this builder
		 * @throws IllegalArgumentException if virtual threads are asked for before Java
		 * 21
		 */
		public Builder virtualThreads(boolean virtualThreads) {
			this.threads = EtcdThreads.of(virtualThreads);
			return this;
		}

		public EtcdTransport build() {
			return new EtcdTransport(this);
		}

	}

}
