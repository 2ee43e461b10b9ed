package org.nabla.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.eager.ExecutionContext;
import org.nabla.runtime.SerialExecutor;

/**
 * The seed's RNN-like loop h(t+1) = tanh(x(t)·W + h(t)·U) over T steps: as a graph whileLoop, as a Java for loop
 * unrolled into a graph, as an eager whileLoop, and as plain Java arithmetic, all equal.
 */
class ControlFlowTest {
    private static final int T = 6;
    private static final int B = 2;
    private static final int D = 3;
    private static final int H = 4;

    private static double[] random(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextGaussian() * 0.7;
        return a;
    }

    /** The loop with whileLoop: x [T, B, D] indexed by the loop counter with gather. */
    private static Tensor rnnWhile(Tensor x, Tensor w, Tensor u, Tensor h0) {
        Tensor[] out = Ops.whileLoop(v -> v[0].less(T),
                v -> new Tensor[] {v[0].add(1),
                        Ops.tanh(Ops.matmul(Ops.gather(x, v[0]), w).add(Ops.matmul(v[1], u)))},
                new Tensor[] {Tensors.scalar(0), h0});
        return out[1];
    }

    /** The same computation as a Java for loop: T copies of the step. */
    private static Tensor rnnUnrolled(Tensor x, Tensor w, Tensor u, Tensor h0) {
        Tensor h = h0;
        for (int t = 0; t < T; t++) {
            h = Ops.tanh(Ops.matmul(Ops.gather(x, Tensors.scalar(t)), w).add(Ops.matmul(h, u)));
        }
        return h;
    }

    @Test
    void rnnLoopEqualsUnrolledGraphEagerRunAndJava() {
        Random r = new Random(42);
        double[] xs = random(r, T * B * D);
        double[] ws = random(r, D * H);
        double[] us = random(r, H * H);
        double[] h0s = random(r, B * H);
        Tensor x = Tensors.of(xs, T, B, D);
        Tensor w = Tensors.of(ws, D, H);
        Tensor u = Tensors.of(us, H, H);
        Tensor h0 = Tensors.of(h0s, B, H);

        // Plain Java reference.
        double[] h = h0s.clone();
        for (int t = 0; t < T; t++) {
            double[] next = new double[B * H];
            for (int b = 0; b < B; b++) {
                for (int j = 0; j < H; j++) {
                    double s = 0;
                    for (int k = 0; k < D; k++) s += xs[(t * B + b) * D + k] * ws[k * H + j];
                    for (int k = 0; k < H; k++) s += h[b * H + k] * us[k * H + j];
                    next[b * H + j] = Math.tanh(s);
                }
            }
            h = next;
        }

        Graph g = new Graph();
        Tensor px, pw, pu, ph, loop, unrolled;
        try (ExecutionContext.Scope s = g.asDefault()) {
            px = g.placeholder("x", DType.FLOAT64, Shape.of(T, -1, D));
            pw = g.placeholder("W", DType.FLOAT64, Shape.of(D, H));
            pu = g.placeholder("U", DType.FLOAT64, Shape.of(H, H));
            ph = g.placeholder("h0", DType.FLOAT64, Shape.of(-1, H));
            loop = rnnWhile(px, pw, pu, ph);
            unrolled = rnnUnrolled(px, pw, pu, ph);
        }
        assertEquals(Shape.of(-1, H), loop.shape());
        Node whileNode = g.outputOf(loop).node();
        assertEquals("While", whileNode.op().name());
        // The loop body captured x, W and U from the outer graph: they are extra inputs of the While node.
        assertTrue(whileNode.inputs().containsAll(List.of(g.outputOf(px), g.outputOf(pw), g.outputOf(pu))));
        Map<Output, Tensor> feeds = Map.of(g.outputOf(px), x, g.outputOf(pw), w, g.outputOf(pu), u, g.outputOf(ph), h0);
        List<Tensor> out = SerialExecutor.run(g, feeds, List.of(g.outputOf(loop), g.outputOf(unrolled)), List.of());
        Tensor eager = rnnWhile(x, w, u, h0);

        assertArrayEquals(h, out.get(0).toDoubleArray(), 1e-12);
        assertArrayEquals(out.get(1).toDoubleArray(), out.get(0).toDoubleArray(), 0.0);
        assertArrayEquals(out.get(0).toDoubleArray(), eager.toDoubleArray(), 0.0);
        assertEquals(Shape.of(B, H), eager.shape());
        // The graph whileLoop has one While node; the unrolled loop has T copies of the step.
        long tanhNodes = g.nodes().stream().filter(n -> n.op().name().equals("Tanh")).count();
        assertEquals(T, tanhNodes);
    }

    @Test
    void inlineReplaysAFunctionGraphInAGraphOrEagerly() {
        Graph outer = new Graph();
        FuncGraph f;
        Tensor k;
        try (ExecutionContext.Scope s = outer.asDefault()) {
            k = outer.placeholder("k", DType.FLOAT32, Shape.SCALAR);
            f = FuncGraph.trace("f", List.of(org.nabla.ops.TensorSpec.of(DType.FLOAT32, Shape.of(2))),
                    args -> new Tensor[] {Ops.cond(args[0].sum().greater(0f), () -> args[0].mul(k),
                            () -> args[0].neg()), args[0].add(1f)});
        }
        Tensor x = Tensors.of(new float[] {1, 2});
        Tensor kv = Tensors.scalar(3f);
        Tensor[] called = org.nabla.runtime.FunctionCalls.call(f, x, kv);
        Tensor[] eager = ControlFlow.inline(f, x, kv);
        Graph g = new Graph();
        Tensor[] inlined;
        Tensor px, pk;
        try (ExecutionContext.Scope s = g.asDefault()) {
            px = g.placeholder("x", DType.FLOAT32, Shape.of(2));
            pk = g.placeholder("k", DType.FLOAT32, Shape.SCALAR);
            inlined = ControlFlow.inline(f, px, pk);
        }
        List<Tensor> run = SerialExecutor.run(g, Map.of(g.outputOf(px), x, g.outputOf(pk), kv),
                List.of(g.outputOf(inlined[0]), g.outputOf(inlined[1])), List.of());
        assertArrayEquals(new float[] {3, 6}, called[0].toFloatArray());
        assertArrayEquals(new float[] {2, 3}, called[1].toFloatArray());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(called[i].toFloatArray(), eager[i].toFloatArray());
            assertArrayEquals(called[i].toFloatArray(), run.get(i).toFloatArray());
        }
    }

    /** Plain Java forward pass of the RNN; returns sum(h(T)), the loss of the gradient check. */
    private static double javaLoss(double[] xs, double[] ws, double[] us, double[] h0s) {
        double[] h = h0s.clone();
        for (int t = 0; t < T; t++) {
            double[] next = new double[B * H];
            for (int b = 0; b < B; b++) {
                for (int j = 0; j < H; j++) {
                    double s = 0;
                    for (int k = 0; k < D; k++) s += xs[(t * B + b) * D + k] * ws[k * H + j];
                    for (int k = 0; k < H; k++) s += h[b * H + k] * us[k * H + j];
                    next[b * H + j] = Math.tanh(s);
                }
            }
            h = next;
        }
        double sum = 0;
        for (double v : h) sum += v;
        return sum;
    }

    private static double[] numericGradient(java.util.function.ToDoubleFunction<double[]> f, double[] at) {
        double[] g = new double[at.length];
        double eps = 1e-6;
        for (int i = 0; i < at.length; i++) {
            double[] p = at.clone();
            double[] m = at.clone();
            p[i] += eps;
            m[i] -= eps;
            g[i] = (f.applyAsDouble(p) - f.applyAsDouble(m)) / (2 * eps);
        }
        return g;
    }

    /**
     * The gradient design of docs/control-flow.md, with a hand-written backward step in place of the autodiff rule:
     * the forward While's keepIntermediates twin stacks h(t) of every iteration, and a backward whileLoop consumes
     * the stack in reverse, accumulating the gradients of the captured W and U. They match finite differences.
     */
    @Test
    void keptIntermediatesReplayedInReverseGiveTheRnnGradients() {
        Random r = new Random(7);
        double[] xs = random(r, T * B * D);
        double[] ws = random(r, D * H);
        double[] us = random(r, H * H);
        double[] h0s = random(r, B * H);
        Graph g = new Graph();
        Tensor px, pw, pu, ph;
        Tensor[] grads;
        try (ExecutionContext.Scope s = g.asDefault()) {
            px = g.placeholder("x", DType.FLOAT64, Shape.of(T, B, D));
            pw = g.placeholder("W", DType.FLOAT64, Shape.of(D, H));
            pu = g.placeholder("U", DType.FLOAT64, Shape.of(H, H));
            ph = g.placeholder("h0", DType.FLOAT64, Shape.of(B, H));
            Node forward = g.outputOf(rnnWhile(px, pw, pu, ph)).node();
            Node kept = g.addNode(forward.op(), forward.attrs().with("keepIntermediates", true), forward.inputs(),
                    null);
            Tensor stackH = kept.output(3); // h entering each iteration: [T, B, H]
            Tensor count = kept.output(4);
            Tensor hT = kept.output(1);
            Tensor w = pw;
            Tensor u = pu;
            grads = Ops.whileLoop(v -> v[0].greaterEqual(0), v -> {
                Tensor k = v[0];
                Tensor hk = Ops.gather(stackH, k);
                Tensor xk = Ops.gather(px, k);
                Tensor hn = Ops.tanh(Ops.matmul(xk, w).add(Ops.matmul(hk, u)));
                Tensor gpre = v[1].mul(Ops.onesLike(hn).sub(hn.mul(hn)));
                return new Tensor[] {k.sub(1), Ops.matmul(gpre, u, false, true),
                        v[2].add(Ops.matmul(xk, gpre, true, false)), v[3].add(Ops.matmul(hk, gpre, true, false))};
            }, new Tensor[] {count.sub(1), Ops.onesLike(hT), Ops.zeros(DType.FLOAT64, D, H),
                    Ops.zeros(DType.FLOAT64, H, H)});
        }
        Map<Output, Tensor> feeds = Map.of(g.outputOf(px), Tensors.of(xs, T, B, D), g.outputOf(pw),
                Tensors.of(ws, D, H), g.outputOf(pu), Tensors.of(us, H, H), g.outputOf(ph), Tensors.of(h0s, B, H));
        List<Tensor> out = SerialExecutor.run(g, feeds, List.of(g.outputOf(grads[1]), g.outputOf(grads[2]),
                g.outputOf(grads[3])), List.of());
        assertArrayEquals(numericGradient(p -> javaLoss(xs, ws, us, p), h0s), out.get(0).toDoubleArray(), 1e-7);
        assertArrayEquals(numericGradient(p -> javaLoss(xs, p, us, h0s), ws), out.get(1).toDoubleArray(), 1e-7);
        assertArrayEquals(numericGradient(p -> javaLoss(xs, ws, p, h0s), us), out.get(2).toDoubleArray(), 1e-7);
    }
}
