package org.nabla.serving;

import java.time.Duration;

/**
 * How the server listens and batches: the REST port (0: any free one), the gRPC port (0: any free one, -1: no gRPC),
 * whether concurrent requests are batched, the most examples in one model run (and in one request), how long a batch
 * waits for more requests, the largest request body (or gRPC message) in bytes, how often folders of numbered
 * versions are checked for new versions (zero: never), and whether a version label may name a version that is not
 * loaded (TensorFlow Serving's {@code --allow_version_labels_for_unavailable_models}).
 */
public record ServingOptions(int port, int grpcPort, boolean batching, int maxBatchSize, Duration batchTimeout,
                             long maxBodyBytes, Duration pollInterval, boolean allowLabelsForUnavailableVersions) {

    /**
     * TensorFlow Serving's REST port 8501 and no gRPC port (the {@code nabla serve} command opens 8500), batching on
     * with up to 64 examples and a 2 ms wait, bodies to 64 MiB, new versions looked for every second (TensorFlow
     * Serving's {@code --file_system_poll_wait_seconds} default), labels only on loaded versions.
     */
    public static ServingOptions defaults() {
        return new ServingOptions(8501, -1, true, 64, Duration.ofMillis(2), 64L << 20, Duration.ofSeconds(1), false);
    }

    /** Checks the values; the server's errors then only concern requests. */
    public ServingOptions {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 0..65535");
        if (grpcPort < -1 || grpcPort > 65535) throw new IllegalArgumentException("gRPC port " + grpcPort
                + " is not in 0..65535 (or -1: no gRPC)");
        if (maxBatchSize < 1) throw new IllegalArgumentException("max batch size " + maxBatchSize + " must be >= 1");
        if (batchTimeout.isNegative()) throw new IllegalArgumentException("batch timeout " + batchTimeout + " < 0");
        if (maxBodyBytes < 1) throw new IllegalArgumentException("max body size " + maxBodyBytes + " must be >= 1");
        if (pollInterval.isNegative()) throw new IllegalArgumentException("poll interval " + pollInterval + " < 0");
    }

    /** These options on another REST port. */
    public ServingOptions withPort(int p) {
        return new ServingOptions(p, grpcPort, batching, maxBatchSize, batchTimeout, maxBodyBytes, pollInterval,
                allowLabelsForUnavailableVersions);
    }

    /** These options with TensorFlow Serving's gRPC API on port {@code p} (0: any free one; -1: none). */
    public ServingOptions withGrpcPort(int p) {
        return new ServingOptions(port, p, batching, maxBatchSize, batchTimeout, maxBodyBytes, pollInterval,
                allowLabelsForUnavailableVersions);
    }

    /** These options with batching on or off. */
    public ServingOptions withBatching(boolean on) {
        return new ServingOptions(port, grpcPort, on, maxBatchSize, batchTimeout, maxBodyBytes, pollInterval,
                allowLabelsForUnavailableVersions);
    }

    /** These options with another batch limit and wait. */
    public ServingOptions withBatch(int maxSize, Duration timeout) {
        return new ServingOptions(port, grpcPort, batching, maxSize, timeout, maxBodyBytes, pollInterval,
                allowLabelsForUnavailableVersions);
    }

    /** These options with another body size limit. */
    public ServingOptions withMaxBodyBytes(long bytes) {
        return new ServingOptions(port, grpcPort, batching, maxBatchSize, batchTimeout, bytes, pollInterval,
                allowLabelsForUnavailableVersions);
    }

    /** These options with another interval between looks for new versions (zero: load versions only at start). */
    public ServingOptions withPollInterval(Duration interval) {
        return new ServingOptions(port, grpcPort, batching, maxBatchSize, batchTimeout, maxBodyBytes, interval,
                allowLabelsForUnavailableVersions);
    }

    /** These options letting version labels name versions that are not loaded (yet). */
    public ServingOptions withLabelsForUnavailableVersions(boolean allow) {
        return new ServingOptions(port, grpcPort, batching, maxBatchSize, batchTimeout, maxBodyBytes, pollInterval,
                allow);
    }
}
