package org.nabla.autodiff;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphContext;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradOps;
import org.nabla.ops.OpCall;

/**
 * Symbolic reverse-mode differentiation: {@link #gradients(List, List, List)} adds the backward subgraph to the graph
 * of {@code ys} (TensorFlow's {@code tf.gradients}). The gradient nodes are ordinary op nodes, so the result can be
 * run by any executor and differentiated again.
 */
public final class Gradients {
    private Gradients() {}

    /** {@code gradients(ys, xs, null)}: each y seeded with ones. */
    public static List<Tensor> gradients(List<Tensor> ys, List<Tensor> xs) { return gradients(ys, xs, null); }

    /** The gradient of the single {@code y} with respect to each x. */
    public static List<Tensor> gradients(Tensor y, Tensor... xs) { return gradients(List.of(y), List.of(xs), null); }

    /**
     * Adds to the graph of {@code ys} the nodes computing d(sum of ys)/dx for each x, the gradient of each y being
     * seeded with {@code gradYs} (ones of y's shape when null). The walk visits only nodes on a path from some x to
     * some y; gradients arriving at a tensor from several consumers are summed. The returned list holds null for an x
     * that no y depends on (through floating-point values), like TensorFlow's None. Nodes are added in the graph's
     * current context when one is active for it (name and control scopes apply), else in the graph itself.
     */
    public static List<Tensor> gradients(List<Tensor> ys, List<Tensor> xs, List<Tensor> gradYs) {
        Objects.requireNonNull(ys, "ys");
        Objects.requireNonNull(xs, "xs");
        if (ys.isEmpty()) throw new IllegalArgumentException("gradients: ys is empty");
        if (gradYs != null && gradYs.size() != ys.size()) {
            throw new IllegalArgumentException("gradients: " + gradYs.size() + " gradYs given for " + ys.size()
                    + " ys");
        }
        Graph graph = graphOf(ys.get(0), "ys[0]");
        List<Tensor> targets = canonical(graph, ys, "ys");
        List<Tensor> sources = canonical(graph, xs, "xs");
        boolean inContext = ExecutionContext.current() instanceof GraphContext g && g.graph() == graph;
        try (ExecutionContext.Scope scope = inContext ? () -> { } : graph.asDefault()) {
            List<Tensor> seeds = new ArrayList<>(targets.size());
            for (int i = 0; i < targets.size(); i++) {
                Tensor seed = gradYs == null ? null : gradYs.get(i);
                if (seed != null && (seed.dtype() != targets.get(i).dtype()
                        || !seed.shape().isCompatibleWith(targets.get(i).shape()))) {
                    throw new IllegalArgumentException("gradients: gradYs[" + i + "] is " + seed.spec() + " but ys["
                            + i + "] is " + targets.get(i).spec() + " (the seed needs y's dtype and shape)");
                }
                seeds.add(seed != null ? seed : Ops.onesLike(targets.get(i)));
            }
            List<OpCall> calls = pathBetween(sources, targets);
            return java.util.Collections.unmodifiableList(java.util.Arrays.asList(
                    Backprop.backward(calls, targets, seeds, sources)));
        }
    }

    // ---------------------------------------------------------------- custom gradients

    /** What a function with a custom gradient returns: its results and how to map their gradients to its inputs'. */
    public record CustomResult(Tensor[] values, GradientOfResults gradient) {
        /** Rejects null values or gradient, and an empty result. */
        public CustomResult {
            Objects.requireNonNull(values, "values");
            Objects.requireNonNull(gradient, "gradient");
            if (values.length == 0) throw new IllegalArgumentException("a custom-gradient function needs a result");
        }

        /** A single result {@code value} whose input gradients {@code gradient} computes. */
        public static CustomResult of(Tensor value, GradientOfResults gradient) {
            return new CustomResult(new Tensor[] {value}, gradient);
        }
    }

    /** Given one gradient per result (null for a result no gradient reached), one gradient per input (or null). */
    @FunctionalInterface
    public interface GradientOfResults {
        /** The gradient for each input (null where none), given one gradient per result. */
        Tensor[] apply(Tensor[] resultGradients);
    }

    /** A function of tensors that also says how to differentiate itself (tf.custom_gradient). */
    @FunctionalInterface
    public interface CustomGradientFunction {
        /** The results for {@code inputs}, with their gradient function. */
        CustomResult apply(Tensor... inputs);
    }

    private static final Map<String, GradientOfResults> CUSTOM = new ConcurrentHashMap<>();
    private static final AtomicLong CUSTOM_IDS = new AtomicLong();

    /** The gradient rule of the CustomGradient op (registered by GradOpGradients). */
    static Tensor[] customGradientRule(OpCall c, Tensor[] g) {
        String key = c.attrs().getString("key");
        GradientOfResults fn = CUSTOM.get(key);
        if (fn == null) {
            throw new IllegalStateException("CustomGradient: no gradient function is registered under '" + key
                    + "' (graphs loaded from files do not keep custom-gradient Java functions)");
        }
        int n = c.attrs().getInt("numInputs");
        Tensor[] dx = fn.apply(g.clone());
        if (dx == null || dx.length != n) {
            throw new IllegalStateException("CustomGradient '" + key + "': the gradient function returned "
                    + (dx == null ? "null" : dx.length + " gradients") + " for " + n + " inputs");
        }
        return java.util.Arrays.copyOf(dx, c.inputs().length);
    }

    /**
     * Calls {@code f} on {@code inputs} and returns its results, whose gradient (on a tape or in a graph) is the one
     * {@code f} returned instead of the derivative of the ops it ran. The Java gradient function is kept in a
     * process-wide table under a generated key for as long as the process runs.
     */
    public static Tensor[] customGradient(CustomGradientFunction f, Tensor... inputs) {
        CustomResult r = f.apply(inputs.clone());
        String key = "custom_gradient_" + CUSTOM_IDS.incrementAndGet();
        CUSTOM.put(key, r.gradient());
        Tensor[] all = new Tensor[inputs.length + r.values().length];
        System.arraycopy(inputs, 0, all, 0, inputs.length);
        System.arraycopy(r.values(), 0, all, inputs.length, r.values().length);
        return Ops.runMulti(GradOps.CUSTOM_GRADIENT, Attrs.of("key", key, "numInputs", inputs.length), all);
    }

    /** The graph nodes (in creation order) that lie on a path from a source to a target, as calls. */
    private static List<OpCall> pathBetween(List<Tensor> sources, List<Tensor> targets) {
        List<Node> roots = new ArrayList<>();
        for (Tensor y : targets) roots.add(((Output) y.symbol()).node());
        Set<Node> upstream = Graph.ancestors(roots);
        Map<Tensor, Boolean> reached = new IdentityHashMap<>();
        for (Tensor x : sources) reached.put(x, true);
        List<Node> ordered = new ArrayList<>(upstream);
        ordered.sort((a, b) -> Integer.compare(a.id(), b.id()));
        List<OpCall> calls = new ArrayList<>();
        for (Node n : ordered) {
            boolean live = false;
            Tensor[] inputs = new Tensor[n.inputs().size()];
            for (int i = 0; i < inputs.length; i++) {
                Output o = n.inputs().get(i);
                inputs[i] = o.node().output(o.index());
                live |= reached.containsKey(inputs[i]) && Backprop.carriesGradient(inputs[i]);
            }
            if (!live || !n.op().isDifferentiable()) continue;
            Tensor[] outputs = n.outputs();
            for (Tensor t : outputs) reached.put(t, true);
            calls.add(new OpCall(n.op(), n.attrs(), inputs, outputs));
        }
        return calls;
    }

    private static Graph graphOf(Tensor t, String what) {
        if (t == null || !(t.symbol() instanceof Output o)) {
            throw new IllegalArgumentException("gradients: " + what + " must be a graph tensor, got "
                    + (t == null ? "null" : "an eager tensor " + t.spec()) + "; use a GradientTape for eager code");
        }
        return o.graph();
    }

    /** Each tensor as its node's own output object (so identity matches), checking it belongs to {@code graph}. */
    private static List<Tensor> canonical(Graph graph, List<Tensor> ts, String what) {
        List<Tensor> out = new ArrayList<>(ts.size());
        for (int i = 0; i < ts.size(); i++) {
            Graph g = graphOf(ts.get(i), what + "[" + i + "]");
            if (g != graph) {
                throw new IllegalArgumentException("gradients: " + what + "[" + i + "] belongs to another graph "
                        + "than ys[0]");
            }
            Output o = (Output) ts.get(i).symbol();
            out.add(o.node().output(o.index()));
        }
        return out;
    }
}
