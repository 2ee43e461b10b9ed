package org.nabla.distributed;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only interceptor on one task's server that makes chosen methods (full gRPC names, such as
 * {@code nabla.distributed.WorkerService/RunGraph}) slow or unreliable, as a loaded machine or a flaky network would:
 * {@link #delay} holds every call before the service sees it, {@link #drop} fails the next calls with UNAVAILABLE
 * before the service sees them (a connection refused), {@link #cut} lets a streaming call's first message through and
 * then ends it with UNAVAILABLE (a connection lost mid-transfer). Rules change while the server runs.
 */
final class FaultInjector implements ServerInterceptor {
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> drops = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> cuts = new ConcurrentHashMap<>();
    /** Held calls wait on this until their delay passes or {@link #clear} lets them go. */
    private volatile CountDownLatch release = new CountDownLatch(1);
    /** Calls each rule has hit, by method (to check that a test's fault did happen). */
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    /** Every call of {@code method} is held for {@code d} (or until {@link #clear}) before it is served. */
    FaultInjector delay(String method, Duration d) {
        delays.put(method, d);
        return this;
    }

    /** The next {@code times} calls of {@code method} fail with UNAVAILABLE, unseen by the service. */
    FaultInjector drop(String method, int times) {
        drops.put(method, new AtomicInteger(times));
        return this;
    }

    /** The next {@code times} calls of streaming {@code method} end with UNAVAILABLE after their first message. */
    FaultInjector cut(String method, int times) {
        cuts.put(method, new AtomicInteger(times));
        return this;
    }

    /** Removes every rule and lets the calls held now go on at once (late, as a slow task's would). */
    void clear() {
        delays.clear();
        drops.clear();
        cuts.clear();
        CountDownLatch held = release;
        release = new CountDownLatch(1);
        held.countDown();
    }

    /** How many calls of {@code method} a rule hit. */
    int hits(String method) {
        AtomicInteger n = hits.get(method);
        return n == null ? 0 : n.get();
    }

    private static boolean take(Map<String, AtomicInteger> rules, String method) {
        AtomicInteger left = rules.get(method);
        return left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private void hit(String method) { hits.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet(); }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (take(drops, method)) {
            hit(method);
            call.close(Status.UNAVAILABLE.withDescription("injected fault: " + method + " dropped"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        ServerCall<Q, R> served = take(cuts, method) ? cutAfterFirstMessage(call, method) : call;
        ServerCall.Listener<Q> listener = next.startCall(served, headers);
        Duration delay = delays.get(method);
        if (delay == null) return listener;
        hit(method);
        // a unary call is served when the client half-closes: holding that back holds the whole call, on one of
        // the server's executor threads, as a busy task would; the call then runs even if its caller gave up
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onHalfClose() {
                try {
                    release.await(delay.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onHalfClose();
            }
        };
    }

    private <Q, R> ServerCall<Q, R> cutAfterFirstMessage(ServerCall<Q, R> call, String method) {
        return new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            private boolean ended;

            @Override
            public synchronized void sendMessage(R message) {
                if (ended) return;
                super.sendMessage(message);
                ended = true;
                hit(method);
                super.close(Status.UNAVAILABLE.withDescription("injected fault: " + method + " cut after its first "
                        + "message"), new Metadata());
            }

            @Override
            public synchronized boolean isReady() { return !ended && super.isReady(); }

            @Override
            public synchronized void close(Status status, Metadata trailers) {
                if (ended) return;
                ended = true;
                super.close(status, trailers);
            }
        };
    }
}
