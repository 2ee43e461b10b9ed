package org.nabla.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.Tensor;
import org.nabla.graph.Graph;

/**
 * Collects the feeds, fetches and targets of one run of a session: {@code session.runner().feed(x, value).fetch(y)
 * .addTarget(op).run()}. Fetches and feeds may also be given by name ("x:0"). {@link Session} and the distributed
 * session both hand out this builder; each gives it the function that runs what was collected.
 */
public final class Runner {
    /** What a runner calls: a session's {@code run(fetches, feeds, targets)}. */
    @FunctionalInterface
    public interface Run<R> {
        /**
         * Runs the graph for {@code fetches} with {@code feeds} (placeholder to value), also running {@code targets}.
         */
        R run(List<Tensor> fetches, Map<Tensor, ?> feeds, List<?> targets);
    }

    private final Graph graph;
    private final Run<List<Tensor>> run;
    private final Run<Session.Result> runWithMetadata;
    private final List<Tensor> fetches = new ArrayList<>();
    private final Map<Tensor, Object> feeds = new LinkedHashMap<>();
    private final List<Object> targets = new ArrayList<>();

    /**
     * A runner over {@code graph} (which resolves names) running with {@code run}; {@code runWithMetadata} may be
     * null when the session collects no run metadata.
     */
    public Runner(Graph graph, Run<List<Tensor>> run, Run<Session.Result> runWithMetadata) {
        if (graph == null || run == null) throw new IllegalArgumentException("Runner: graph and run must not be null");
        this.graph = graph;
        this.run = run;
        this.runWithMetadata = runWithMetadata;
    }

    /** Gives {@code placeholder} a value (a Tensor or Java array/number of its dtype and shape) for this run. */
    public Runner feed(Tensor placeholder, Object value) {
        feeds.put(placeholder, value);
        return this;
    }

    /** Feeds the tensor named {@code tensorName} ("x" or "x:0"); throws when the graph has no such tensor. */
    public Runner feed(String tensorName, Object value) { return feed(graph.tensor(tensorName), value); }

    /** Adds {@code t} (a tensor of the session's graph) to the values {@link #run()} returns, in the order added. */
    public Runner fetch(Tensor t) {
        fetches.add(t);
        return this;
    }

    /** Fetches the tensor named {@code tensorName} ("y" or "y:0"); throws when the graph has no such tensor. */
    public Runner fetch(String tensorName) { return fetch(graph.tensor(tensorName)); }

    /** A node to run for its effects (a node, a graph tensor's node, or a node name). */
    public Runner addTarget(Object target) {
        targets.add(target);
        return this;
    }

    /** Runs what was collected; returns the fetched values in the order of the {@code fetch} calls. */
    public List<Tensor> run() { return run.run(fetches, feeds, targets); }

    /** Runs and also returns per-node timings, the peak bytes and partition graphs (local sessions only). */
    public Session.Result runAndFetchMetadata() {
        if (runWithMetadata == null) throw new UnsupportedOperationException("this session collects no run metadata");
        return runWithMetadata.run(fetches, feeds, targets);
    }
}
