package org.nabla.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.eager.ExecutionContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.GraphOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * A dataflow graph: nodes (op instances) connected by edges (their outputs), built by running ordinary op calls
 * inside {@link #asDefault()}. Names are unique and follow name scopes ({@code layer1/MatMul_1}); control dependencies
 * and device scopes apply to the nodes created inside them. Shapes and dtypes are inferred as nodes are added, so a
 * mismatch fails at build time naming the node. Nodes are only ever appended, so creation order is a topological order.
 */
public final class Graph {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> byName = new HashMap<>();
    private final Map<String, Integer> nameCounts = new HashMap<>();
    private final Deque<String> nameScopes = new ArrayDeque<>();
    private final Deque<List<Node>> controlScopes = new ArrayDeque<>();
    private final Deque<String> deviceScopes = new ArrayDeque<>();
    private final Map<String, List<Object>> collections = new HashMap<>();

    /** An empty graph; build it by running op calls inside {@link #asDefault()}. */
    public Graph() {}

    /** Makes this graph the target of op calls on this thread until the scope is closed. */
    public ExecutionContext.Scope asDefault() { return ExecutionContext.enter(new GraphContext(this)); }

    // ---------------------------------------------------------------- building

    /**
     * Adds a node for {@code op}: resolves attributes, infers output specs (failing with the node's name), applies the
     * current name, control and device scopes. {@code name} may be null (the op name is used).
     */
    public synchronized Node addNode(OpDef op, Attrs attrs, List<Output> inputs, String name) {
        List<Node> control = new ArrayList<>();
        for (List<Node> scope : controlScopes) control.addAll(scope);
        return add(op, attrs, inputs, name == null ? op.name() : name, false, control, currentDevice());
    }

    private Node add(OpDef op, Attrs attrs, List<Output> inputs, String name, boolean exact, List<Node> control,
                     String device) {
        Attrs resolved = op.resolveAttrs(attrs);
        TensorSpec[] in = new TensorSpec[inputs.size()];
        for (int i = 0; i < in.length; i++) {
            Output o = inputs.get(i);
            if (o.graph() != this) {
                throw new OpException(op.name(), "input " + i + " (" + o + ") belongs to another graph");
            }
            in[i] = o.spec();
        }
        for (Node c : control) {
            if (c.graph() != this) {
                throw new OpException(op.name(), "control input " + c.name() + " belongs to another graph");
            }
        }
        String unique = exact ? name : uniqueName(name);
        TensorSpec[] out;
        try {
            out = op.infer(in, resolved);
        } catch (OpException e) {
            throw new OpException(op.name(), "while building node '" + unique + "': "
                    + e.getMessage().substring(op.name().length() + 2));
        }
        Node node = new Node(this, nodes.size(), unique, op, resolved, inputs,
                new ArrayList<>(new LinkedHashSet<>(control)), out, device);
        nodes.add(node);
        byName.put(unique, node);
        return node;
    }

    /** Adds a node with explicit control inputs besides those of the enclosing control scopes. */
    public synchronized Node addNode(OpDef op, Attrs attrs, List<Output> inputs, List<Node> controlInputs,
                                     String name) {
        try (ControlScope s = withControlDependencies(controlInputs)) {
            return addNode(op, attrs, inputs, name);
        }
    }

    /**
     * Adds a node with exactly this name, these control inputs and this requested device, ignoring the enclosing
     * name, control and device scopes: how graph readers and rewriters rebuild a node as it was. Fails if the name
     * is taken or malformed. Attributes are resolved and shapes inferred as in {@link #addNode}.
     */
    public synchronized Node addNodeExact(OpDef op, Attrs attrs, List<Output> inputs, List<Node> controlInputs,
                                          String name, String device) {
        checkName(name);
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("graph already has a node named '" + name + "'");
        }
        return add(op, attrs, inputs, name, true, controlInputs, device == null ? "" : device);
    }

    /** A placeholder: a value fed at run time; {@code shape} may contain -1 for unknown dimensions. */
    public Tensor placeholder(String name, DType dtype, Shape shape) {
        return addNode(GraphOps.PLACEHOLDER, Attrs.of("dtype", dtype, "shape", shape), List.of(), name).output(0);
    }

    /** A constant node holding {@code value} (a tensor or Java value). */
    public Tensor constant(String name, Object value) {
        Tensor t = org.nabla.Tensors.convert(value);
        return addNode(GraphOps.CONST, Attrs.of("value", t), List.of(), name).output(0);
    }

    private static void checkName(String base) {
        if (base == null || base.isEmpty() || base.contains(":")) {
            throw new IllegalArgumentException("node name '" + base + "' must be non-empty and must not contain ':'");
        }
    }

    private String uniqueName(String base) {
        checkName(base);
        String full = nameScopes.isEmpty() ? base : String.join("/", reversedScopes()) + "/" + base;
        int n = nameCounts.merge(full, 1, Integer::sum);
        String candidate = n == 1 ? full : full + "_" + (n - 1);
        while (byName.containsKey(candidate)) candidate = full + "_" + nameCounts.merge(full, 1, Integer::sum);
        return candidate;
    }

    private List<String> reversedScopes() {
        List<String> l = new ArrayList<>(nameScopes);
        Collections.reverse(l);
        return l;
    }

    private String currentDevice() { return deviceScopes.isEmpty() ? "" : deviceScopes.peek(); }

    // ---------------------------------------------------------------- scopes

    /** A scope that closes with try-with-resources. */
    public interface ControlScope extends AutoCloseable {
        @Override void close();
    }

    /** Prefixes the names of nodes created inside with {@code name/}. */
    public synchronized ControlScope nameScope(String name) {
        if (name.isEmpty() || name.contains(":")) throw new IllegalArgumentException("bad name scope '" + name + "'");
        nameScopes.push(name);
        return () -> {
            synchronized (this) { nameScopes.pop(); }
        };
    }

    /** Nodes created inside run only after {@code deps} (tensors or nodes). */
    public synchronized ControlScope withControlDependencies(List<?> deps) {
        List<Node> nodesOf = new ArrayList<>();
        for (Object d : deps) {
            if (d instanceof Node n) nodesOf.add(n);
            else if (d instanceof Tensor t && t.symbol() instanceof Output o) nodesOf.add(o.node());
            else throw new IllegalArgumentException("control dependency must be a node or a graph tensor, got " + d);
        }
        controlScopes.push(nodesOf);
        return () -> {
            synchronized (this) { controlScopes.pop(); }
        };
    }

    /**
     * Requests a device (TensorFlow syntax, e.g. {@code /device:CPU:1}) for nodes created inside. A partial name
     * fills in from the enclosing device scope, as in TensorFlow ({@code /job:worker} then {@code /device:GPU:0}
     * gives {@code /job:worker/device:GPU:0}); a name that does not parse fails here.
     */
    public synchronized ControlScope device(String deviceName) {
        org.nabla.device.DeviceSpec spec = org.nabla.device.DeviceSpec.parse(deviceName);
        deviceScopes.push(spec.withDefaults(org.nabla.device.DeviceSpec.parse(currentDevice())).toString());
        return () -> {
            synchronized (this) { deviceScopes.pop(); }
        };
    }

    // ---------------------------------------------------------------- collections

    /** Adds {@code value} to the named collection (TensorFlow's graph collections: variables, initializers...). */
    public synchronized void addToCollection(String key, Object value) {
        if (value == null) throw new IllegalArgumentException("collection '" + key + "': value is null");
        collections.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    /** The items of the named collection in the order they were added (a copy; empty if none). */
    public synchronized List<Object> collection(String key) {
        return List.copyOf(collections.getOrDefault(key, List.of()));
    }

    // ---------------------------------------------------------------- reading

    /** All nodes in creation (topological) order. */
    public synchronized List<Node> nodes() { return List.copyOf(nodes); }

    /** The number of nodes. */
    public synchronized int size() { return nodes.size(); }

    /** The node with this name, or an error. */
    public synchronized Node node(String name) {
        Node n = byName.get(name);
        if (n == null) throw new IllegalArgumentException("graph has no node named '" + name + "'");
        return n;
    }

    /** Whether a node has this name. */
    public synchronized boolean hasNode(String name) { return byName.containsKey(name); }

    /** A tensor by TensorFlow name: {@code "dense/MatMul:0"} or just {@code "dense/MatMul"} for output 0. */
    public Tensor tensor(String name) {
        int colon = name.lastIndexOf(':');
        String nodeName = colon < 0 ? name : name.substring(0, colon);
        int index = colon < 0 ? 0 : Integer.parseInt(name.substring(colon + 1));
        Node n = node(nodeName);
        if (index >= n.numOutputs()) {
            throw new IllegalArgumentException("node '" + nodeName + "' has " + n.numOutputs() + " outputs, no output "
                    + index);
        }
        return n.output(index);
    }

    /** The output a graph tensor stands for, checking it belongs here. */
    public Output outputOf(Tensor t) {
        if (!(t.symbol() instanceof Output o) || o.graph() != this) {
            throw new IllegalArgumentException("tensor " + t.spec() + (t.isSymbolic() ? " belongs to another graph"
                    : " is not a graph tensor"));
        }
        return o;
    }

    /** Nodes reachable backwards from {@code targets} through data and control edges (the pruned subgraph). */
    public static Set<Node> ancestors(List<Node> targets) {
        Set<Node> seen = new LinkedHashSet<>();
        Deque<Node> stack = new ArrayDeque<>(targets);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (!seen.add(n)) continue;
            for (Output o : n.inputs()) stack.push(o.node());
            stack.addAll(n.controlInputs());
        }
        return seen;
    }

    /** Graphviz text for this graph (see {@link GraphDot}). */
    public String toDot() { return GraphDot.toDot(this); }

    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder("Graph(" + nodes.size() + " nodes)\n");
        for (Node n : nodes) sb.append("  ").append(n).append('\n');
        return sb.toString();
    }
}
