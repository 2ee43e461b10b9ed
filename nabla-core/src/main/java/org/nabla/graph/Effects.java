package org.nabla.graph;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * result depends on them, and in the order the Java code called them. Ordering is per resource: the ops on one
 * variable keep their program order, ops on different variables stay free to run in parallel, and other stateful
 * ops (random ops) form one chain. {@link #ordered} adds those control edges while tracing; {@link #effectfulNodes}
 * lists the nodes every call must run.
 */
public final class Effects {
    /** The resource key of stateful ops that name no variable. */
    private static final String OTHER = "<stateful>";
    private static final Map<Graph, Scan> CACHE = new WeakHashMap<>();

    private Effects() {}

    /**
     * Whether a node of {@code op} with {@code attrs} has effects beyond its outputs: a stateful op, except that a
     * stateful op holding sub-graphs (Cond, Case, While) has effects only if one of its sub-graphs does.
     */
    public static boolean hasEffects(OpDef op, Attrs attrs) { return !resources(op, attrs).isEmpty(); }

    /**
     * The resources a node touches: {@code "variable:<name>"} for variable ops, the union over the sub-graphs for
     * control flow, a shared key for other stateful ops; empty for ops without effects.
     */
    public static Set<String> resources(OpDef op, Attrs attrs) {
        if (!op.isStateful()) return Set.of();
        if (!op.variableAttrs().isEmpty()) {
            Set<String> vars = new LinkedHashSet<>();
            for (String a : op.variableAttrs()) vars.add("variable:" + attrs.getString(a));
            return vars;
        }
        boolean holdsGraphs = false;
        Set<String> out = new LinkedHashSet<>();
        for (Object v : attrs.asMap().values()) {
            if (v instanceof GraphFunction f) {
                holdsGraphs = true;
                out.addAll(resources(f));
            } else if (v instanceof GraphFunction[] fs) {
                holdsGraphs = true;
                for (GraphFunction f : fs) out.addAll(resources(f));
            }
        }
        return holdsGraphs ? out : Set.of(OTHER);
    }

    private static Set<String> resources(GraphFunction f) {
        return f instanceof FuncGraph g ? scan(g.graph()).resources : Set.of(OTHER);
    }

    /** The nodes of {@code g} with effects, in creation order: the targets of every call of a function graph. */
    public static List<Node> effectfulNodes(Graph g) {
        List<Node> nodes = g.nodes();
        int[] ids = scan(g, nodes).ids;
        List<Node> out = new ArrayList<>(ids.length);
        for (int id : ids) out.add(nodes.get(id));
        return out;
    }

    private static Scan scan(Graph g) { return scan(g, g.nodes()); }

    private static Scan scan(Graph g, List<Node> nodes) {
        Scan cached;
        synchronized (CACHE) {
            cached = CACHE.get(g);
        }
        // Graphs are append-only, so a scan stays valid until nodes are added. It keeps node ids, not nodes: a value
        // referring to its key would keep the graph alive in the weak map.
        if (cached != null && cached.size == nodes.size()) return cached;
        List<Integer> ids = new ArrayList<>();
        Set<String> resources = new LinkedHashSet<>();
        for (Node n : nodes) {
            Set<String> r = resources(n.op(), n.attrs());
            if (!r.isEmpty()) {
                ids.add(n.id());
                resources.addAll(r);
            }
        }
        Scan scan = new Scan(nodes.size(), ids.stream().mapToInt(Integer::intValue).toArray(), Set.copyOf(resources));
        synchronized (CACHE) {
            CACHE.put(g, scan);
        }
        return scan;
    }

    private record Scan(int size, int[] ids, Set<String> resources) {}

    /**
     * Wraps a body traced by {@link FuncGraph#trace} so that its effectful ops keep program order: each gets control
     * inputs on the last earlier node that touched one of its resources.
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

    /** Adds nodes through the tracing context below it, adding control edges between effectful ones. */
    private static final class OrderingContext extends GraphContext {
        private final GraphContext inner;
        private final Map<String, Node> lastByResource = new java.util.HashMap<>();

        OrderingContext(GraphContext inner) {
            super(inner.graph());
            this.inner = inner;
        }

        @Override
        public Tensor[] execute(OpDef op, Attrs attrs, Tensor[] inputs) {
            Set<String> touched = resources(op, attrs);
            if (touched.isEmpty()) return inner.execute(op, attrs, inputs);
            List<Node> after = new ArrayList<>();
            for (String r : touched) {
                Node last = lastByResource.get(r);
                if (last != null && !after.contains(last)) after.add(last);
            }
            int before = graph.size();
            Tensor[] out;
            if (after.isEmpty()) {
                out = inner.execute(op, attrs, inputs);
            } else {
                try (Graph.ControlScope s = graph.withControlDependencies(after)) {
                    out = inner.execute(op, attrs, inputs);
                }
            }
            Node node = out.length > 0 ? graph.outputOf(out[0]).node()
                    : graph.size() > before ? graph.nodes().getLast() : null;
            if (node != null) for (String r : touched) lastByResource.put(r, node);
            return out;
        }

        @Override
        protected Output toOutput(Tensor t) { return inner.toOutput(t); }
    }
}
