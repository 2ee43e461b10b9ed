package org.nabla.runtime;

import java.util.List;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.GraphOps;
import org.nabla.ops.StateOps;

/**
 * Variables in graph mode, TensorFlow 1 style. {@link #create} declares a {@link Variable} and adds its initializer
 * (an {@code AssignVariable} of the initial value) to the graph's {@value #INITIALIZERS} collection; the value itself
 * lives in each {@link Session}'s resources, so it exists only after the session ran the initializer (usually all of
 * them at once through {@link #globalVariablesInitializer}). Inside the graph's context, {@link Variable#read()} adds
 * a {@code ReadVariable} node and {@code assign/assignAdd/assignSub} add update nodes usable as fetches or targets.
 */
public final class Variables {
    /** Collection of the variables created in a graph. */
    public static final String GLOBAL_VARIABLES = "variables";
    /** Collection of the variables' initializer nodes. */
    public static final String INITIALIZERS = "variable_initializers";

    private Variables() {}

    /** A trainable variable initialized with {@code initialValue} (a tensor of this graph, a tensor, a Java value). */
    public static Variable create(Graph graph, String name, Object initialValue) {
        return create(graph, name, initialValue, true);
    }

    /** A variable initialized with {@code initialValue}; its resource name is {@code name} plus a unique suffix. */
    public static Variable create(Graph graph, String name, Object initialValue, boolean trainable) {
        Output init;
        if (initialValue instanceof Tensor t && t.isSymbolic()) {
            init = graph.outputOf(t);
        } else {
            Tensor value = Tensors.convert(initialValue);
            init = new Output(graph.addNode(GraphOps.CONST, Attrs.of("value", value), List.of(), List.of(),
                    name + "/initial_value"), 0);
        }
        Variable v = Variable.declare(name, init.spec().dtype(), init.spec().shape(), trainable);
        Node assign = graph.addNode(StateOps.ASSIGN_VARIABLE, Attrs.of("name", v.name()), List.of(init), List.of(),
                name + "/Assign");
        graph.addToCollection(GLOBAL_VARIABLES, v);
        graph.addToCollection(INITIALIZERS, assign);
        return v;
    }

    /** The variables created in {@code graph} with {@link #create}, in creation order. */
    public static List<Variable> globalVariables(Graph graph) {
        return graph.collection(GLOBAL_VARIABLES).stream().map(Variable.class::cast).toList();
    }

    /** The initializer nodes of {@code graph}'s variables. */
    public static List<Node> initializers(Graph graph) {
        return graph.collection(INITIALIZERS).stream().map(Node.class::cast).toList();
    }

    /** A NoOp that runs every initializer created so far: run it as a target once per session. */
    public static Node globalVariablesInitializer(Graph graph) {
        return graph.addNode(GraphOps.NO_OP, Attrs.EMPTY, List.of(), initializers(graph), "init");
    }

    /** Adds a read of {@code v} to {@code graph}. */
    public static Tensor read(Graph graph, Variable v) {
        try (ExecutionContext.Scope s = graph.asDefault()) {
            return v.read();
        }
    }

    /** Adds an assignment of {@code value} to {@code v}; the node's output is the new value. */
    public static Tensor assign(Graph graph, Variable v, Object value) {
        try (ExecutionContext.Scope s = graph.asDefault()) {
            return v.assign(value);
        }
    }

    /** Adds {@code v += delta}; the node's output is the new value. */
    public static Tensor assignAdd(Graph graph, Variable v, Object delta) {
        try (ExecutionContext.Scope s = graph.asDefault()) {
            return v.assignAdd(delta);
        }
    }

    /** Adds {@code v -= delta}; the node's output is the new value. */
    public static Tensor assignSub(Graph graph, Variable v, Object delta) {
        try (ExecutionContext.Scope s = graph.asDefault()) {
            return v.assignSub(delta);
        }
    }
}
