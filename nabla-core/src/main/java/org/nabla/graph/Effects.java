package org.nabla.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.nabla.Tensor;
import org.nabla.eager.ExecutionContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.GraphFunction;
import org.nabla.ops.OpDef;

/**
 * Side effects in traced graphs (TensorFlow's automatic control dependencies). A function graph runs its
 * effectful nodes (variable reads and writes, random ops, control flow whose sub-graphs have such nodes) even when no
 * result depends on them, and in the order the Java code called them: {@link #ordered} chains each effectful node to
 * the previous one with a control edge while tracing, and {@link #effectfulNodes} lists the nodes a call must run.
 */
public final class Effects {
    private static final Map<Graph, Scan> CACHE = new WeakHashMap<>();

    private Effects() {}

    /**
     * Whether a node of {@code op} with {@code attrs} has effects beyond its outputs: a stateful op, except that a
     * stateful op holding sub-graphs (Cond, Case, While) has effects only if one of its sub-graphs does.
     */
    public static boolean hasEffects(OpDef op, Attrs attrs) {
        if (!op.isStateful()) return false;
        boolean holdsGraphs = false;
        for (Object v : attrs.asMap().values()) {
            if (v instanceof GraphFunction f) {
                holdsGraphs = true;
                if (hasEffects(f)) return true;
            } else if (v instanceof GraphFunction[] fs) {
                holdsGraphs = true;
                for (GraphFunction f : fs) if (hasEffects(f)) return true;
            }
        }
        return !holdsGraphs;
    }

    private static boolean hasEffects(GraphFunction f) {
        return !(f instanceof FuncGraph g) || !effectfulNodes(g.graph()).isEmpty();
    }

    /** The nodes of {@code g} with effects, in creation order: the targets of every call of a function graph. */
    public static List<Node> effectfulNodes(Graph g) {
        List<Node> nodes = g.nodes();
        Scan cached;
        synchronized (CACHE) {
            cached = CACHE.get(g);
        }
        // Graphs are append-only, so a scan stays valid until nodes are added. It keeps node ids, not nodes: a value
        // referring to its key would keep the graph alive in the weak map.
        if (cached == null || cached.size != nodes.size()) {
            List<Integer> ids = new ArrayList<>();
            for (Node n : nodes) if (hasEffects(n.op(), n.attrs())) ids.add(n.id());
            cached = new Scan(nodes.size(), ids.stream().mapToInt(Integer::intValue).toArray());
            synchronized (CACHE) {
                CACHE.put(g, cached);
            }
        }
        List<Node> out = new ArrayList<>(cached.ids.length);
        for (int id : cached.ids) out.add(nodes.get(id));
        return out;
    }

    private record Scan(int size, int[] ids) {}

    /**
     * Wraps a body traced by {@link FuncGraph#trace} so that its effectful ops run in program order: each gets a
     * control input on the effectful node created before it.
     */
    public static Function<Tensor[], Tensor[]> ordered(Function<Tensor[], Tensor[]> body) {
        return args -> {
            if (!(ExecutionContext.current() instanceof GraphContext inner)) {
                throw new IllegalStateException("Effects.ordered runs only while tracing a graph");
            }
            try (ExecutionContext.Scope s = ExecutionContext.enter(new OrderingContext(inner))) {
                return body.apply(args);
            }
        };
    }

    /** Adds nodes through the tracing context below it, chaining effectful ones with control edges. */
    private static final class OrderingContext extends GraphContext {
        private final GraphContext inner;
        private Node last;

        OrderingContext(GraphContext inner) {
            super(inner.graph());
            this.inner = inner;
        }

        @Override
        public Tensor[] execute(OpDef op, Attrs attrs, Tensor[] inputs) {
            if (!hasEffects(op, attrs)) return inner.execute(op, attrs, inputs);
            int before = graph.size();
            Tensor[] out;
            if (last == null) {
                out = inner.execute(op, attrs, inputs);
            } else {
                try (Graph.ControlScope s = graph.withControlDependencies(List.of(last))) {
                    out = inner.execute(op, attrs, inputs);
                }
            }
            if (out.length > 0) {
                last = graph.outputOf(out[0]).node();
            } else if (graph.size() > before) {
                last = graph.nodes().getLast();
            }
            return out;
        }

        @Override
        protected Output toOutput(Tensor t) { return inner.toOutput(t); }
    }
}
