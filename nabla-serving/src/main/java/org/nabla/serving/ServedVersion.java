package org.nabla.serving;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded version of a model, with its batcher. Requests {@link #acquire} it and {@link #release} it when answered;
 * a version replaced by a newer one is {@link #retire retired} and closes only when its last request has been answered,
 * so a reload never fails a request in flight.
 */
final class ServedVersion {
    final long version;
    final ServedModel model;
    /** Null when batching is off or the model takes a fixed batch size. */
    final Batcher batcher;
    private final boolean ownsModel;
    /** Requests holding this version, plus one for the registry until it is retired; zero means closed. */
    private final AtomicInteger holders = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();

    ServedVersion(long version, ServedModel model, ServingOptions options, ServingMetrics metrics, boolean ownsModel) {
        this.version = version;
        this.model = model;
        this.ownsModel = ownsModel;
        this.batcher = options.batching() && model.batchable()
                ? new Batcher(model, options.maxBatchSize(), options.batchTimeout(), metrics) : null;
    }

    /** Takes a hold for one request; false when the version has already closed. */
    boolean acquire() {
        for (int n; (n = holders.get()) > 0; ) {
            if (holders.compareAndSet(n, n + 1)) return true;
        }
        return false;
    }

    /** Gives back a request's hold; the last one closes a retired version. */
    void release() {
        if (holders.decrementAndGet() == 0) close();
    }

    /** No new requests will find this version; it closes when the ones holding it are done. */
    void retire() {
        if (retired.compareAndSet(false, true)) release();
    }

    /** Whether it has been retired (it may still be answering requests). */
    boolean isRetired() { return retired.get(); }

    private void close() {
        if (batcher != null) batcher.close();
        if (ownsModel) model.close();
    }
}
