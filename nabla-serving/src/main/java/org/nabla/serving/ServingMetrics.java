package org.nabla.serving;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters in Prometheus' text format ({@code GET /metrics}): requests by endpoint and status, request
 * latency sums, and a histogram of how many requests and examples each model run served. Thread-safe, lock-free.
 */
public final class ServingMetrics {
    /** Upper bounds of the batch histograms' buckets (requests or examples per model run). */
    private static final int[] BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> latencyNanos = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> latencyCount = new ConcurrentHashMap<>();
    private final Histogram batchRequests = new Histogram();
    private final Histogram batchExamples = new Histogram();

    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[BUCKETS.length];
        final LongAdder count = new LongAdder();
        final LongAdder sum = new LongAdder();

        Histogram() { for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder(); }

        void observe(int v) {
            for (int i = 0; i < BUCKETS.length; i++) if (v <= BUCKETS[i]) buckets[i].increment();
            count.increment();
            sum.add(v);
        }
    }

    /** Counts one answered request of {@code endpoint} with HTTP {@code status}, taking {@code nanos}. */
    void request(String endpoint, int status, long nanos) {
        requests.computeIfAbsent("endpoint=\"" + endpoint + "\",code=\"" + status + "\"", k -> new LongAdder())
                .increment();
        latencyNanos.computeIfAbsent(endpoint, k -> new LongAdder()).add(nanos);
        latencyCount.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
    }

    /** Counts one model run that served {@code requests} requests holding {@code examples} examples. */
    void batch(int requests, int examples) {
        batchRequests.observe(requests);
        batchExamples.observe(examples);
    }

    /** How many model runs served more than one request (batching at work). */
    public long batchesOfSeveralRequests() {
        return batchRequests.count.sum() - batchRequests.buckets[0].sum();
    }

    /** How many model runs there were. */
    public long batchCount() { return batchExamples.count.sum(); }

    /** How many examples the model runs held in all. */
    public long batchExampleSum() { return batchExamples.sum.sum(); }

    /** The Prometheus text exposition (format 0.0.4). */
    public String prometheusText() {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP nabla_serving_requests_total Requests answered, by endpoint and HTTP status.\n");
        sb.append("# TYPE nabla_serving_requests_total counter\n");
        new TreeMap<>(requests).forEach((k, v) -> sb.append("nabla_serving_requests_total{").append(k).append("} ")
                .append(v.sum()).append('\n'));
        sb.append("# HELP nabla_serving_request_latency_seconds Time spent answering requests, by endpoint.\n");
        sb.append("# TYPE nabla_serving_request_latency_seconds summary\n");
        new TreeMap<>(latencyNanos).forEach((k, v) -> sb.append("nabla_serving_request_latency_seconds_sum{endpoint=\"")
                .append(k).append("\"} ").append(v.sum() / 1e9).append('\n')
                .append("nabla_serving_request_latency_seconds_count{endpoint=\"").append(k).append("\"} ")
                .append(latencyCount.get(k).sum()).append('\n'));
        histogram(sb, "nabla_serving_batch_requests", "Requests served by one model run.", batchRequests);
        histogram(sb, "nabla_serving_batch_examples", "Examples (rows) in one model run.", batchExamples);
        return sb.toString();
    }

    private static void histogram(StringBuilder sb, String name, String help, Histogram h) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" histogram\n");
        for (int i = 0; i < BUCKETS.length; i++) {
            sb.append(name).append("_bucket{le=\"").append(BUCKETS[i]).append("\"} ").append(h.buckets[i].sum())
                    .append('\n');
        }
        sb.append(name).append("_bucket{le=\"+Inf\"} ").append(h.count.sum()).append('\n');
        sb.append(name).append("_sum ").append(h.sum.sum()).append('\n');
        sb.append(name).append("_count ").append(h.count.sum()).append('\n');
    }
}
