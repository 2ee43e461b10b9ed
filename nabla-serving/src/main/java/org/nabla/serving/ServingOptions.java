package org.nabla.serving;

import java.time.Duration;

/**
 * How the server listens and batches: the port (0: any free one), whether concurrent
 * requests are batched, the most examples in one model run (and in one request), how long a batch waits for more
 * requests, and the largest request body in bytes.
 */
public record ServingOptions(int port, boolean batching, int maxBatchSize, Duration batchTimeout,
                             long maxBodyBytes) {

    /** TensorFlow Serving's REST port 8501, batching on with up to 64 examples and a 2 ms wait, bodies to 64 MiB. */
    public static ServingOptions defaults() {
        return new ServingOptions(8501, true, 64, Duration.ofMillis(2), 64L << 20);
    }

    /** Checks the values; the server's errors then only concern requests. */
    public ServingOptions {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 0..65535");
        if (maxBatchSize < 1) throw new IllegalArgumentException("max batch size " + maxBatchSize + " must be >= 1");
        if (batchTimeout.isNegative()) throw new IllegalArgumentException("batch timeout " + batchTimeout + " < 0");
        if (maxBodyBytes < 1) throw new IllegalArgumentException("max body size " + maxBodyBytes + " must be >= 1");
    }

    /** These options on another port. */
    public ServingOptions withPort(int p) {
        return new ServingOptions(p, batching, maxBatchSize, batchTimeout, maxBodyBytes);
    }

    /** These options with batching on or off. */
    public ServingOptions withBatching(boolean on) {
        return new ServingOptions(port, on, maxBatchSize, batchTimeout, maxBodyBytes);
    }

    /** These options with another batch limit and wait. */
    public ServingOptions withBatch(int maxSize, Duration timeout) {
        return new ServingOptions(port, batching, maxSize, timeout, maxBodyBytes);
    }

    /** These options with another body size limit. */
    public ServingOptions withMaxBodyBytes(long bytes) {
        return new ServingOptions(port, batching, maxBatchSize, batchTimeout, bytes);
    }
}
