package org.nabla.serving;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The served models and the one request path REST and gRPC share: find the model, hold the version a request names
 * (newest, by number, or by label), run its rows (batched with other requests when the version batches), count them.
 */
final class ModelRegistry implements AutoCloseable {
    private final Map<String, ModelVersions> models;
    final ServingOptions options;
    final ServingMetrics metrics;

    ModelRegistry(Map<String, ModelVersions> models, ServingOptions options, ServingMetrics metrics) {
        this.models = models;
        this.options = options;
        this.metrics = metrics;
    }

    /** The model named {@code name}; 404 when it is not served. */
    ModelVersions model(String name) {
        ModelVersions m = models.get(name);
        if (m == null) throw ServingException.notFound("Servable not found for request: Latest(" + name
                + "); this server serves " + models.keySet());
        return m;
    }

    /** The served models by name, in configuration order. */
    Map<String, ModelVersions> models() { return models; }

    /**
     * Holds the version a request names: {@code version}, else the one {@code label} names, else the newest. The
     * caller must {@link ServedVersion#release} it.
     */
    ServedVersion acquire(String name, Long version, String label) {
        ModelVersions m = model(name);
        return m.acquire(label != null ? Long.valueOf(m.labelled(label)) : version);
    }

    /** The status of every version of {@code name}, or of the one a number or label names. */
    List<ModelVersions.State> states(String name, Long version, String label) {
        ModelVersions m = model(name);
        return m.states(label != null ? Long.valueOf(m.labelled(label)) : version);
    }

    /** Runs parsed rows: batched with other requests when the version batches. */
    Rows run(ServedVersion v, Rows in) {
        if (v.batcher == null) return runAlone(v, in);
        v.batcher.announce();
        return runAnnounced(v, in);
    }

    /** Runs rows on their own (the version does not batch). */
    Rows runAlone(ServedVersion v, Rows in) {
        Rows out = v.model.predict(in);
        metrics.batch(1, in.count());
        return out;
    }

    /** Submits rows already {@linkplain Batcher#announce announced} to the version's batcher, waits for the answer. */
    static Rows runAnnounced(ServedVersion v, Rows in) {
        try {
            return v.batcher.submit(in).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServingException(503, "interrupted while waiting for the batch");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Looks for new and removed versions of every watched model. */
    void pollVersions() {
        for (ModelVersions m : models.values()) {
            try {
                m.poll();
            } catch (RuntimeException e) {
                // One model's bad folder must not stop the others' reloads; poll() logs what it could not load.
                System.getLogger("org.nabla.serving").log(System.Logger.Level.WARNING,
                        "polling model " + m.name() + " failed: " + e);
            }
        }
    }

    /** Retires every version (each closes once its requests are answered). */
    @Override
    public void close() { models.values().forEach(ModelVersions::close); }
}
