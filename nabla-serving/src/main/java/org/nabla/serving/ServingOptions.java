package org.nabla.serving;

import java.time.Duration;

/**
 * How the server listens and batches: the port (0: any free one), whether concurrent
 * requests are batched, the most examples in one model run (and in one request), how long a batch waits for more
 * requests, the largest request body in bytes, and how often folders of numbered versions are checked for new
 * versions (zero: never).
 */
public record ServingOptions(int port, boolean batching, int maxBatchSize, Duration batchTimeout,
                             long maxBodyBytes, Duration pollInterval) {

    /**
     * TensorFlow Serving's REST port 8501, batching on with up to 64 examples and a 2 ms wait, bodies to 64 MiB, new
     * versions looked for every second (TensorFlow Serving's {@code --file_system_poll_wait_seconds} default).
     */
    public static ServingOptions defaults() {
        return new ServingOptions(8501, true, 64, Duration.ofMillis(2), 64L << 20, Duration.ofSeconds(1));
    }

    /** Checks the values; the server's errors then only concern requests. */
    public ServingOptions {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 0..65535");
        if (maxBatchSize < 1) throw new IllegalArgumentException("max batch size " + maxBatchSize + " must be >= 1");
        if (batchTimeout.isNegative()) throw new IllegalArgumentException("batch timeout " + batchTimeout + " < 0");
        if (maxBodyBytes < 1) throw new IllegalArgumentException("max body size " + maxBodyBytes + " must be >= 1");
        if (pollInterval.isNegative()) throw new IllegalArgumentException("poll interval " + pollInterval + " < 0");
    }

    /** These options on another port. */
    public ServingOptions withPort(int p) {
        return new ServingOptions(p, batching, maxBatchSize, batchTimeout, maxBodyBytes, pollInterval);
    }

    /** These options with batching on or off. */
    public ServingOptions withBatching(boolean on) {
        return new ServingOptions(port, on, maxBatchSize, batchTimeout, maxBodyBytes, pollInterval);
    }

    /** These options with another batch limit and wait. */
    public ServingOptions withBatch(int maxSize, Duration timeout) {
        return new ServingOptions(port, batching, maxSize, timeout, maxBodyBytes, pollInterval);
    }

    /** These options with another body size limit. */
    public ServingOptions withMaxBodyBytes(long bytes) {
        return new ServingOptions(port, batching, maxBatchSize, batchTimeout, bytes, pollInterval);
    }

    /** These options with another interval between looks for new versions (zero: load versions only at start). */
    public ServingOptions withPollInterval(Duration interval) {
        return new ServingOptions(port, batching, maxBatchSize, batchTimeout, maxBodyBytes, interval);
    }
}
