package org.nabla.runtime.optimize;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.eager.EagerContext;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;

/**
 * Optimizes a graph before execution by running the enabled passes in this order: dead-node removal, arithmetic
 * simplification, constant folding, common-subexpression elimination (and the sharing of a loop with its gradient's
 * keepIntermediates twin, {@link LoopIntermediatesSharing}), elementwise fusion, and dead-node removal
 * again (to drop what the others made unused). Each pass builds a new graph; the original is never changed. The
 * outputs in {@code keep} (those fetched or fed) and the {@code targets} survive with the same meaning: each keeps a
 * node of its own that is never merged, simplified away or absorbed, and no pass looks through it, so feeding it
 * still changes everything downstream. Optimization runs after gradients are built (fused ops have no gradient).
 */
public final class GraphOptimizer {
    private GraphOptimizer() {}

    /**
     * Returns the optimized graph and the mapping from the original outputs and nodes. With every pass off the
     * result holds {@code graph} itself and identity mappings.
     */
    public static Optimized optimize(Graph graph, Collection<Output> keep, Collection<Node> targets,
                                     OptimizerOptions options) {
        for (Output o : keep) {
            if (o.graph() != graph) throw new IllegalArgumentException("kept output " + o + " is not in this graph");
        }
        for (Node n : targets) {
            if (n.graph() != graph) throw new IllegalArgumentException("target " + n.name() + " is not in this graph");
        }
        Map<Output, Output> outputs = new HashMap<>();
        Map<Node, Node> nodes = new HashMap<>();
        for (Node n : graph.nodes()) {
            nodes.put(n, n);
            for (int i = 0; i < n.numOutputs(); i++) outputs.put(new Output(n, i), new Output(n, i));
        }
        Graph current = graph;
        // Folding runs kernels: make sure nothing they call lands in a graph being built on this thread.
        try (ExecutionContext.Scope eager = ExecutionContext.enter(EagerContext.INSTANCE)) {
            current = runPasses(graph, keep, targets, options, outputs, nodes);
        }
        for (Node t : targets) {
            if (!nodes.containsKey(t)) throw new IllegalStateException("optimization lost target " + t.name());
        }
        return new Optimized(current, outputs, nodes);
    }

    private static Graph runPasses(Graph graph, Collection<Output> keep, Collection<Node> targets,
                                   OptimizerOptions options, Map<Output, Output> outputs, Map<Node, Node> nodes) {
        Graph current = graph;
        for (Pass pass : passes(options)) {
            Set<Node> pinned = new LinkedHashSet<>();
            for (Output o : keep) pinned.add(outputs.get(o).node());
            for (Node t : targets) pinned.add(nodes.get(t));
            Optimized step = pass.apply(current, pinned, options);
            outputs.replaceAll((k, v) -> step.outputs().get(v));
            outputs.values().removeIf(java.util.Objects::isNull);
            nodes.replaceAll((k, v) -> step.nodes().get(v));
            nodes.values().removeIf(java.util.Objects::isNull);
            current = step.graph();
            for (Output o : keep) {
                if (!outputs.containsKey(o)) {
                    throw new IllegalStateException(pass.getClass().getSimpleName() + " lost kept output " + o);
                }
            }
        }
        return current;
    }

    private static List<Pass> passes(OptimizerOptions o) {
        List<Pass> passes = new ArrayList<>();
        if (o.deadNodeRemoval()) passes.add(new DeadNodeRemoval());
        if (o.arithmeticSimplification()) passes.add(new ArithmeticSimplification());
        if (o.constantFolding()) passes.add(new ConstantFolding());
        if (o.commonSubexpressionElimination()) passes.add(new CommonSubexpressionElimination());
        if (o.commonSubexpressionElimination()) passes.add(new LoopIntermediatesSharing());
        if (o.fusion()) passes.add(new ConvBiasActivationFusion());
        if (o.fusion()) passes.add(new ConvMaxPoolFusion());
        if (o.fusion()) passes.add(new MatMulBiasActivationFusion());
        if (o.fusion() && MatMulPairFusion.ENABLED) passes.add(new MatMulPairFusion());
        if (o.fusion()) passes.add(new PoolReluGradFusion());
        if (o.fusion() && ConvMaxPoolArgmaxFusion.ENABLED) passes.add(new ConvMaxPoolArgmaxFusion());
        if (o.fusion() && PoolReluFilterGradFusion.ENABLED) passes.add(new PoolReluFilterGradFusion());
        if (o.fusion()) passes.add(new UpdateFusion());
        if (o.fusion()) passes.add(new ElementwiseFusion());
        if (o.deadNodeRemoval() && passes.size() > 1) passes.add(new DeadNodeRemoval());
        return passes;
    }
}
