package org.nabla.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.TracedFunction;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.autodiff.Gradients;
import org.nabla.autograph.AutoGraph;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.ops.TensorSpec;
import org.nabla.runtime.SerialExecutor;

/**
 * The seed's two kinds of control flow, side by side: host-language control flow (a Java {@code if} or {@code for}
 * that runs while the program is built, so a loop is unrolled into the graph) and graph control flow
 * ({@code Ops.cond}, {@code Ops.whileLoop}: ops holding sub-graphs that decide at run time); then tracing a Java
 * lambda into a graph with {@link TracedFunction}; gradients through cond and whileLoop. See docs/control-flow.md and
 * docs/tracing.md.
 *
 * <p>Run with {@code scripts/example.sh ControlFlowAndTracing}.
 */
public final class ControlFlowAndTracing {
    private ControlFlowAndTracing() {}

    public static void main(String[] args) { run(System.out); }

    static void run(PrintStream out) {
        section(out, "Host-language control flow, eagerly: Java decides with the tensor's value");
        Tensor x = Tensors.of(new float[] {1, -2, 3});
        Tensor y = Ops.sum(x).floatValue() > 0 ? x.mul(2) : x.neg();
        out.println(y);

        section(out, "The same decision with Ops.cond: eagerly it simply runs the lambda that pred selects");
        out.println(Ops.cond(Ops.sum(x).greater(0f), () -> x.mul(2), () -> x.neg()));

        section(out, "In a graph, Ops.cond adds one Cond node holding both branches; it runs only the taken one");
        Graph g = new Graph();
        Tensor px;
        Tensor py;
        try (ExecutionContext.Scope s = g.asDefault()) {
            px = g.placeholder("x", DType.FLOAT32, Shape.of(-1));
            py = Ops.cond(Ops.sum(px).greater(0f), () -> px.mul(2), () -> px.neg());
        }
        out.println(g.outputOf(py).node());
        for (float[] feed : new float[][] {{1, -2, 3}, {-5, 1}}) {
            out.println(run(g, px, Tensors.of(feed), py));
        }

        section(out, "A Java for loop is unrolled: T steps add T copies of the step to the graph");
        int steps = 4;
        Graph unrolled = new Graph();
        try (ExecutionContext.Scope s = unrolled.asDefault()) {
            Tensor h = unrolled.placeholder("h0", DType.FLOAT32, Shape.SCALAR);
            for (int t = 0; t < steps; t++) h = Ops.tanh(h.mul(2f).add(1f));
        }
        out.println("nodes: " + unrolled.size() + ", Tanh nodes: " + count(unrolled, "Tanh"));

        section(out, "Ops.whileLoop keeps one While node; the number of steps can be a run-time value");
        Graph looped = new Graph();
        Tensor n;
        Tensor h0;
        Tensor[] result;
        try (ExecutionContext.Scope s = looped.asDefault()) {
            n = looped.placeholder("n", DType.INT32, Shape.SCALAR);
            h0 = looped.placeholder("h0", DType.FLOAT32, Shape.SCALAR);
            result = Ops.whileLoop(v -> v[0].less(n), v -> new Tensor[] {v[0].add(1), Ops.tanh(v[1].mul(2f).add(1f))},
                    new Tensor[] {Tensors.scalar(0), h0});
        }
        out.println("nodes: " + looped.size() + ", While nodes: " + count(looped, "While"));
        List<Tensor> r = SerialExecutor.run(looped, Map.of(looped.outputOf(n), Tensors.scalar(steps),
                looped.outputOf(h0), Tensors.scalar(0.5f)), List.of(looped.outputOf(result[1])), List.of());
        out.println("after " + steps + " steps: " + r.get(0));

        section(out, "Gradients through control flow: a Cond's gradient is a Cond, a While's a backward While");
        Tensor dx;
        Tensor dh0;
        try (ExecutionContext.Scope s = g.asDefault()) {
            dx = Gradients.gradients(Ops.sum(py), px).get(0);
        }
        try (ExecutionContext.Scope s = looped.asDefault()) {
            dh0 = Gradients.gradients(result[1], h0).get(0);
        }
        for (float[] feed : new float[][] {{1, -2, 3}, {-5, 1}}) {
            out.println("d sum(y)/dx: " + run(g, px, Tensors.of(feed), dx));
        }
        out.println("Cond nodes: " + count(g, "Cond") + ", While nodes: " + count(looped, "While"));
        Tensor d = SerialExecutor.run(looped, Map.of(looped.outputOf(n), Tensors.scalar(steps),
                looped.outputOf(h0), Tensors.scalar(0.5f)), List.of(looped.outputOf(dh0)), List.of()).get(0);
        out.println("d h(" + steps + ")/d h0 = " + d.floatValue());

        section(out, "Tracing: a Java lambda becomes a graph on its first call for each input signature");
        Variable w = Variable.of(new float[][] {{1, 0}, {0, 2}});
        TracedFunction layer = TracedFunction.unary(in -> Ops.relu(Ops.matmul(in, w.read())));
        Tensor batch = Tensors.of(new float[][] {{1, -1}, {2, 3}});
        out.println(layer.apply(batch));
        out.println(layer.apply(batch.mul(2)));
        out.println("traces: " + layer.traceCount());
        out.println(layer.concreteFunction(batch.spec()));

        section(out, "A declared signature with an unknown batch dimension: one trace for every batch size");
        TracedFunction anyBatch = TracedFunction.unary(in -> Ops.relu(Ops.matmul(in, w.read())))
                .withInputSignature(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 2)));
        anyBatch.apply(Tensors.of(new float[][] {{1, 1}}));
        anyBatch.apply(Tensors.of(new float[][] {{1, 1}, {2, 2}, {3, 3}}));
        out.println("traces: " + anyBatch.traceCount());

        section(out, "Variables are read at each call; assignments inside a function run in program order");
        Variable counter = Variable.of(0);
        TracedFunction tick = TracedFunction.of(noArgs -> {
            counter.assignAdd(1);
            return new Tensor[] {counter.read()};
        });
        tick.call();
        tick.call();
        counter.assign(10);
        out.println("tick -> " + tick.call()[0].intValue() + ", traces: " + tick.traceCount());

        section(out, "AutoGraph: the loop as a Java for on a tensor condition traces into one While node");
        TracedFunction converted = AutoGraph.binary(ControlFlowAndTracing::iterate);
        Tensor start = Tensors.scalar(0.5f);
        out.println("AutoGraph after 4 steps: " + converted.apply(Tensors.scalar(4), start).floatValue()
                + ", eagerly: " + iterate(Tensors.scalar(4), start).floatValue());
        converted.apply(Tensors.scalar(7), start);
        Graph traced = converted.graph(Tensors.scalar(4).spec(), start.spec()).graph();
        out.println("While nodes: " + count(traced, "While") + ", Tanh nodes outside it: " + count(traced, "Tanh")
                + ", traces for 4 and 7 steps: " + converted.traceCount());
    }

    /** The step h = tanh(2h + 1) for a number of steps given as a tensor: AutoGraph turns the for into a While. */
    static Tensor iterate(Tensor steps, Tensor h) {
        for (Tensor t = Tensors.scalar(0); t.less(steps).booleanValue(); t = t.add(1)) {
            h = Ops.tanh(h.mul(2f).add(1f));
        }
        return h;
    }

    private static Tensor run(Graph g, Tensor placeholder, Tensor value, Tensor fetch) {
        return SerialExecutor.run(g, Map.of(g.outputOf(placeholder), value), List.of(g.outputOf(fetch)), List.of())
                .get(0);
    }

    private static long count(Graph g, String op) {
        return g.nodes().stream().filter(node -> node.op().name().equals(op)).count();
    }

    private static void section(PrintStream out, String title) {
        out.println();
        out.println("# " + title);
    }
}
