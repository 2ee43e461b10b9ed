package org.nabla.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.runtime.SerialExecutor;
import org.nabla.runtime.Session;
import org.nabla.runtime.optimize.GraphOptimizer;
import org.nabla.runtime.optimize.Optimized;
import org.nabla.runtime.optimize.OptimizerOptions;

/**
 * Gradients through Cond, Case and While ({@link ControlFlowGradients}), against the same computations unrolled
 * into plain ops, float64 central differences of plain Java code, and the eager tape.
 */
class ControlFlowGradientsTest {
    private static final int T = 5;
    private static final int B = 2;
    private static final int D = 3;
    private static final int H = 4;
    private static final double TOLERANCE = 1e-6;

    private static double[] random(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextGaussian() * 0.6;
        return a;
    }

    // ---------------------------------------------------------------- the seed's RNN

    /** h(t+1) = tanh(x(t)·W + h(t)·U) with whileLoop; x [T, B, D] is indexed by the loop counter. */
    static Tensor rnnWhile(Tensor x, Tensor w, Tensor u, Tensor h0) {
        return Ops.whileLoop(v -> v[0].less(T),
                v -> new Tensor[] {v[0].add(1),
                        Ops.tanh(Ops.matmul(Ops.gather(x, v[0]), w).add(Ops.matmul(v[1], u)))},
                new Tensor[] {Tensors.scalar(0), h0})[1];
    }

    /** The same computation as a Java for loop (unrolled into T copies of the step in a graph). */
    static Tensor rnnUnrolled(Tensor x, Tensor w, Tensor u, Tensor h0) {
        Tensor h = h0;
        for (int t = 0; t < T; t++) {
            h = Ops.tanh(Ops.matmul(Ops.gather(x, Tensors.scalar(t)), w).add(Ops.matmul(h, u)));
        }
        return h;
    }

    static Tensor loss(Tensor h) { return Ops.sum(Ops.square(h)); }

    /** The loss sum(h(T)^2) in plain Java (the finite-difference reference). */
    static double javaLoss(double[] xs, double[] ws, double[] us, double[] h0s) {
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
        for (double v : h) sum += v * v;
        return sum;
    }

    static double[] numericGradient(java.util.function.ToDoubleFunction<double[]> f, double[] at) {
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
     * The seed's RNN example: whileLoop and the unrolled Java loop give equal forward values and equal gradients for
     * W, U and h(0) (symbolic gradients, run by the SerialExecutor and by a Session), and both agree with central
     * differences of a plain Java forward pass and with the eager tape.
     */
    @Test
    void rnnWhileLoopAndUnrolledLoopHaveEqualGradients() {
        Random r = new Random(11);
        double[] xs = random(r, T * B * D);
        double[] ws = random(r, D * H);
        double[] us = random(r, H * H);
        double[] h0s = random(r, B * H);
        Tensor x = Tensors.of(xs, T, B, D);
        Tensor w = Tensors.of(ws, D, H);
        Tensor u = Tensors.of(us, H, H);
        Tensor h0 = Tensors.of(h0s, B, H);

        Graph g = new Graph();
        Tensor px, pw, pu, ph, loopH, loopLoss, unrolledLoss;
        List<Tensor> loopGrads, unrolledGrads;
        try (var s = g.asDefault()) {
            px = g.placeholder("x", DType.FLOAT64, Shape.of(T, -1, D));
            pw = g.placeholder("W", DType.FLOAT64, Shape.of(D, H));
            pu = g.placeholder("U", DType.FLOAT64, Shape.of(H, H));
            ph = g.placeholder("h0", DType.FLOAT64, Shape.of(-1, H));
            loopH = rnnWhile(px, pw, pu, ph);
            loopLoss = loss(loopH);
            unrolledLoss = loss(rnnUnrolled(px, pw, pu, ph));
            loopGrads = Gradients.gradients(List.of(loopLoss), List.of(pw, pu, ph, px));
            unrolledGrads = Gradients.gradients(List.of(unrolledLoss), List.of(pw, pu, ph, px));
        }
        // The loop's gradient is itself a loop: a backward While node, not T unrolled steps.
        long whiles = g.nodes().stream().filter(n -> n.op().name().equals("While")).count();
        assertEquals(3, whiles, "forward While, its keepIntermediates twin, the backward While");
        assertEquals(T, g.nodes().stream().filter(n -> n.op().name().equals("Tanh")).count(), "only the unrolled "
                + "loop's Tanh nodes are in the outer graph");

        // The optimizer (run by the Session) makes the forward loop and its twin one node: the loop runs once.
        List<Output> loopFetches = new ArrayList<>(List.of(g.outputOf(loopLoss)));
        for (Tensor t : loopGrads) loopFetches.add(g.outputOf(t));
        Optimized opt = GraphOptimizer.optimize(g, loopFetches, List.of(), OptimizerOptions.DEFAULT);
        List<Node> loops = opt.graph().nodes().stream().filter(n -> n.op().name().equals("While")).toList();
        assertEquals(2, loops.size(), opt.graph().toString());
        assertEquals(1, loops.stream().filter(n -> n.attrs().getBool("keepIntermediates")).count());
        // Fetching the loop's own output too keeps the forward node apart (a kept output keeps its node).
        loopFetches.add(g.outputOf(loopH));
        Optimized apart = GraphOptimizer.optimize(g, loopFetches, List.of(), OptimizerOptions.DEFAULT);
        assertEquals(3, apart.graph().nodes().stream().filter(n -> n.op().name().equals("While")).count());

        List<Tensor> fetches = new ArrayList<>(List.of(loopLoss, unrolledLoss));
        fetches.addAll(loopGrads);
        fetches.addAll(unrolledGrads);
        Map<Output, Tensor> feeds = Map.of(g.outputOf(px), x, g.outputOf(pw), w, g.outputOf(pu), u, g.outputOf(ph), h0);
        List<Tensor> serial = SerialExecutor.run(g, feeds, fetches.stream().map(g::outputOf).toList(), List.of());
        List<Tensor> session;
        try (Session sess = new Session(g)) {
            session = sess.run(fetches, Map.of(px, x, pw, w, pu, u, ph, h0));
        }
        double expectedLoss = javaLoss(xs, ws, us, h0s);
        assertEquals(expectedLoss, serial.get(0).doubleValue(), 1e-12);
        assertEquals(serial.get(1).doubleValue(), serial.get(0).doubleValue(), 1e-12);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(serial.get(6 + i).toDoubleArray(), serial.get(2 + i).toDoubleArray(), 1e-12,
                    "loop vs unrolled, gradient " + i);
            assertArrayEquals(serial.get(2 + i).toDoubleArray(), session.get(2 + i).toDoubleArray(), 1e-12,
                    "SerialExecutor vs Session, gradient " + i);
        }
        assertArrayEquals(numericGradient(p -> javaLoss(xs, p, us, h0s), ws), serial.get(2).toDoubleArray(), 1e-7);
        assertArrayEquals(numericGradient(p -> javaLoss(xs, ws, p, h0s), us), serial.get(3).toDoubleArray(), 1e-7);
        assertArrayEquals(numericGradient(p -> javaLoss(xs, ws, us, p), h0s), serial.get(4).toDoubleArray(), 1e-7);
        assertArrayEquals(numericGradient(p -> javaLoss(p, ws, us, h0s), xs), serial.get(5).toDoubleArray(), 1e-7);

        // The gradient graph is ordinary nodes and function graphs: it survives a round trip through a graph file.
        try {
            Graph loaded = org.nabla.graph.GraphIO.fromBytes(org.nabla.graph.GraphIO.toBytes(g));
            List<Tensor> again = SerialExecutor.run(loaded, Map.of(loaded.outputOf(loaded.tensor("x:0")), x,
                    loaded.outputOf(loaded.tensor("W:0")), w, loaded.outputOf(loaded.tensor("U:0")), u,
                    loaded.outputOf(loaded.tensor("h0:0")), h0), loopGrads.stream()
                    .map(t -> loaded.outputOf(loaded.tensor(g.outputOf(t).toString()))).toList(), List.of());
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(serial.get(2 + i).toDoubleArray(), again.get(i).toDoubleArray(), 0, "loaded " + i);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        // Eagerly whileLoop is a Java loop, so the tape records the unrolled ops.
        Tensor[] eager;
        try (GradientTape tape = GradientTape.start()) {
            tape.watch(w);
            tape.watch(u);
            tape.watch(h0);
            eager = tape.gradient(loss(rnnWhile(x, w, u, h0)), w, u, h0);
        }
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(serial.get(2 + i).toDoubleArray(), eager[i].toDoubleArray(), 1e-12, "eager " + i);
        }
    }

    /** The RNN as a function for GradientChecker: inputs x, W, U, h0. */
    private static final Function<Tensor[], Tensor[]> RNN = in -> new Tensor[] {rnnWhile(in[0], in[1], in[2], in[3])};

    @Test
    void rnnLoopPassesTheGradientCheckInEveryMode() {
        Random r = new Random(3);
        Tensor[] in = {Tensors.of(random(r, T * B * D), T, B, D), Tensors.of(random(r, D * H), D, H),
                Tensors.of(random(r, H * H), H, H), Tensors.of(random(r, B * H), B, H)};
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("rnn whileLoop", RNN, mode, in).assertOk(TOLERANCE);
        }
    }

    @Test
    void secondOrderThroughTheLoop() {
        Random r = new Random(5);
        Tensor[] in = {Tensors.of(random(r, T * B * D), T, B, D), Tensors.of(random(r, D * H), D, H),
                Tensors.of(random(r, H * H), H, H), Tensors.of(random(r, B * H), B, H)};
        GradientChecker.checkSecondOrder("rnn whileLoop", RNN, GradientChecker.Mode.GRAPH, in).assertOk(TOLERANCE);
        GradientChecker.checkSecondOrder("rnn whileLoop", RNN, GradientChecker.Mode.EAGER, in).assertOk(TOLERANCE);
    }

    // ---------------------------------------------------------------- While details

    /** Runs the graph built by {@code build} on one float64 placeholder fed {@code value}; returns the fetches. */
    private static List<Tensor> runGraph(Tensor value, Function<Tensor, List<Tensor>> build) {
        Graph g = new Graph();
        List<Tensor> fetches;
        Tensor p;
        try (var s = g.asDefault()) {
            p = g.placeholder("p", value.dtype(), value.shape());
            fetches = build.apply(p);
        }
        return SerialExecutor.run(g, Map.of(g.outputOf(p), value), fetches.stream().map(g::outputOf).toList(),
                List.of());
    }

    @Test
    void maximumIterationsBoundsTheBackwardLoopToo() {
        // cond is always true: maximumIterations = 3 stops the loop. y = x * 1.5^3, dy/dx = 3.375.
        Tensor x = Tensors.of(new double[] {0.5, -2});
        List<Tensor> out = runGraph(x, p -> {
            Tensor y = Ops.whileLoop(v -> v[0].less(100), v -> new Tensor[] {v[0].add(1), v[1].mul(1.5)},
                    new Tensor[] {Tensors.scalar(0), p}, 3)[1];
            return List.of(y, Gradients.gradients(Ops.sum(y), p).get(0));
        });
        assertArrayEquals(new double[] {0.5 * 3.375, -2 * 3.375}, out.get(0).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {3.375, 3.375}, out.get(1).toDoubleArray(), 1e-12);
    }

    @Test
    void aLoopThatDoesNotRunPassesTheGradientThrough() {
        Tensor x = Tensors.of(new double[] {0.5, -2});
        List<Tensor> out = runGraph(x, p -> {
            Tensor c = Ops.constant(new double[] {2, 3});
            Tensor y = Ops.whileLoop(v -> v[0].less(0), v -> new Tensor[] {v[0].add(1), v[1].mul(c)},
                    new Tensor[] {Tensors.scalar(0), p})[1];
            List<Tensor> gr = Gradients.gradients(List.of(Ops.sum(y.mul(y))), List.of(p));
            return List.of(y, gr.get(0));
        });
        assertArrayEquals(new double[] {0.5, -2}, out.get(0).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, -4}, out.get(1).toDoubleArray(), 1e-12);
    }

    @Test
    void loopWithSeveralFloatLoopVarsAndAnUnusedCapture() {
        // (a, b) -> (a*b, (a + b*w) * x) three times, x being also the loop vars' initial value (an input and a
        // capture at once); z only feeds a loop var the loss ignores.
        Function<Tensor[], Tensor[]> f = in -> {
            Tensor w = in[1];
            Tensor z = in[2];
            Tensor[] out = Ops.whileLoop(v -> v[0].less(3), v -> new Tensor[] {v[0].add(1),
                    Ops.mul(v[1], v[2]), Ops.add(v[1], Ops.mul(v[2], w)).mul(in[0]), Ops.sin(z)},
                    new Tensor[] {Tensors.scalar(0), in[0], in[0], in[0]});
            return new Tensor[] {out[1], out[2]};
        };
        Tensor[] in = {GradientRecipes.r(3), GradientRecipes.r(3), GradientRecipes.r(3)};
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("two loop vars", f, mode, in).assertOk(TOLERANCE);
        }
    }

    @Test
    void condInsideWhile() {
        // Each step takes a branch depending on the data: h <- sum(h) > 0 ? tanh(h·W) : h·W * 0.5.
        Function<Tensor[], Tensor[]> f = in -> {
            Tensor w = in[1];
            return new Tensor[] {Ops.whileLoop(v -> v[0].less(4), v -> new Tensor[] {v[0].add(1),
                    Ops.cond(Ops.sum(v[1]).greater(0.0), () -> Ops.tanh(Ops.matmul(v[1], w)),
                            () -> Ops.mul(Ops.matmul(v[1], w), 0.5))},
                    new Tensor[] {Tensors.scalar(0), in[0]})[1]};
        };
        Tensor[] in = {Tensors.of(new double[] {0.9, -0.2, 0.4}, 1, 3),
                Tensors.of(new double[] {-0.8, 0.1, 0, 0, -0.9, 0.2, 0.1, 0, -0.7}, 3, 3)};
        // Both branches are taken across the iterations (checked on the eager run).
        List<Boolean> taken = new ArrayList<>();
        Tensor h = in[0];
        for (int t = 0; t < 4; t++) {
            taken.add(Ops.sum(h).doubleValue() > 0);
            h = taken.getLast() ? Ops.tanh(Ops.matmul(h, in[1])) : Ops.mul(Ops.matmul(h, in[1]), 0.5);
        }
        assertTrue(taken.contains(true) && taken.contains(false), taken.toString());
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("cond inside while", f, mode, in).assertOk(TOLERANCE);
        }
        GradientChecker.checkSecondOrder("cond inside while", f, GradientChecker.Mode.GRAPH, in).assertOk(TOLERANCE);
    }

    @Test
    void whileInsideWhile() {
        Function<Tensor[], Tensor[]> f = in -> new Tensor[] {Ops.whileLoop(v -> v[0].less(3), v -> new Tensor[] {
                v[0].add(1), Ops.whileLoop(u -> u[0].less(v[0].add(1)), u -> new Tensor[] {u[0].add(1),
                        Ops.sin(u[1].mul(in[1]))}, new Tensor[] {Tensors.scalar(0), v[1]})[1]},
                new Tensor[] {Tensors.scalar(0), in[0]})[1]};
        Tensor[] in = {GradientRecipes.r(2), GradientRecipes.r(2)};
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("while inside while", f, mode, in).assertOk(TOLERANCE);
        }
    }

    @Test
    void theLoopsOwnKeptIntermediatesAreReusedAndTheirGradientsCount() {
        // A While node built with keepIntermediates: the rule uses its stacks (no twin) and also differentiates a
        // loss on the stacked values themselves.
        Tensor x = Tensors.of(new double[] {0.3, -0.8});
        Graph g = new Graph();
        Tensor p;
        List<Tensor> fetches;
        try (var s = g.asDefault()) {
            p = g.placeholder("p", DType.FLOAT64, Shape.of(2));
            Tensor y = Ops.whileLoop(v -> v[0].less(3), v -> new Tensor[] {v[0].add(1), Ops.sin(v[1]).mul(2.0)},
                    new Tensor[] {Tensors.scalar(0), p})[1];
            Node forward = g.outputOf(y).node();
            Node kept = g.addNode(forward.op(), forward.attrs().with("keepIntermediates", true), forward.inputs(),
                    null);
            // L = sum(y_final) + sum(stack of h entering each iteration) = sum(h3) + sum(h0 + h1 + h2)
            Tensor l = Ops.add(Ops.sum(kept.output(1)), Ops.sum(kept.output(3)));
            fetches = List.of(Gradients.gradients(l, p).get(0));
        }
        assertEquals(2, g.nodes().stream().filter(n -> n.op().name().equals("While")
                && !n.attrs().getBool("keepIntermediates")).count(), "the forward loop and the backward loop");
        Tensor got = SerialExecutor.run(g, Map.of(g.outputOf(p), x), fetches.stream().map(g::outputOf).toList(),
                List.of()).get(0);
        double[] expected = new double[2];
        for (int i = 0; i < 2; i++) {
            double h0 = x.toDoubleArray()[i];
            double h1 = 2 * Math.sin(h0);
            double h2 = 2 * Math.sin(h1);
            double d1 = 2 * Math.cos(h0);
            double d2 = 2 * Math.cos(h1);
            double d3 = 2 * Math.cos(h2);
            expected[i] = 1 + d1 + d1 * d2 + d1 * d2 * d3; // dh0 + dh1 + dh2 + dh3
        }
        assertArrayEquals(expected, got.toDoubleArray(), 1e-12);
    }

    @Test
    void aLoopVarThatChangesShapeCannotBeDifferentiatedAndSaysWhy() {
        Tensor x = Tensors.of(new double[] {0.5});
        OpExceptionHolder.expect("changed shape", () -> runGraph(x, p -> {
            Tensor y = Ops.whileLoop(v -> v[0].less(2), v -> new Tensor[] {v[0].add(1), Ops.concat(0, v[1], v[1])},
                    new Tensor[] {Tensors.scalar(0), p})[1];
            return List.of(Gradients.gradients(Ops.sum(y), p).get(0));
        }));
    }

    /** Asserts that running {@code r} fails with a message containing {@code text}. */
    private static final class OpExceptionHolder {
        static void expect(String text, Runnable r) {
            RuntimeException e = assertThrows(RuntimeException.class, r::run);
            String all = e.toString() + (e.getCause() == null ? "" : " / " + e.getCause());
            assertTrue(all.contains(text), all);
        }
    }

    @Test
    void theGradientDoesNotReplayVariableWritesOfTheLoopOrBranch() {
        // The loop body and the taken branch both count their runs in a variable; running the loss and its gradient
        // must count each forward run once (the gradient replays only the data path).
        Graph g = new Graph();
        Tensor p, y, grad, count;
        Node init;
        try (var s = g.asDefault()) {
            org.nabla.Variable counter = org.nabla.runtime.Variables.create(g, "count", 0f);
            init = org.nabla.runtime.Variables.globalVariablesInitializer(g);
            p = g.placeholder("p", DType.FLOAT64, Shape.of(2));
            Tensor h = Ops.whileLoop(v -> v[0].less(3), v -> {
                counter.assignAdd(1f);
                return new Tensor[] {v[0].add(1), Ops.sin(v[1]).mul(2.0)};
            }, new Tensor[] {Tensors.scalar(0), p})[1];
            y = Ops.cond(Ops.sum(h).greater(-100.0), () -> {
                counter.assignAdd(10f);
                return Ops.square(h);
            }, () -> h);
            grad = Gradients.gradients(Ops.sum(y), p).get(0);
            count = counter.read();
        }
        Tensor x = Tensors.of(new double[] {0.3, -0.8});
        try (Session sess = new Session(g)) {
            sess.run(List.of(), Map.of(), List.of(init));
            Tensor got = sess.run(List.of(y, grad), Map.of(p, x)).get(1);
            assertEquals(13f, sess.run(count).floatValue(), "3 loop iterations and one branch, counted once");
            double[] expected = new double[2];
            for (int i = 0; i < 2; i++) {
                double h0 = x.toDoubleArray()[i];
                double h1 = 2 * Math.sin(h0);
                double h2 = 2 * Math.sin(h1);
                double h3 = 2 * Math.sin(h2);
                expected[i] = 2 * h3 * 2 * Math.cos(h2) * 2 * Math.cos(h1) * 2 * Math.cos(h0);
            }
            assertArrayEquals(expected, got.toDoubleArray(), 1e-12);
        }
    }

    @Test
    void aTapeInsideATracedFunctionDifferentiatesControlFlow() {
        // A traced training step that uses a tape: cond and whileLoop inside it still build graph nodes, and the
        // tape's gradient of them equals the symbolic one.
        Function<Tensor[], Tensor> model = in -> {
            Tensor h = Ops.whileLoop(v -> v[0].less(3), v -> new Tensor[] {v[0].add(1), Ops.sin(v[1].mul(in[1]))},
                    new Tensor[] {Tensors.scalar(0), in[0]})[1];
            return Ops.sum(Ops.cond(Ops.sum(h).greater(0.0), () -> Ops.square(h), () -> Ops.exp(h)));
        };
        List<org.nabla.ops.TensorSpec> specs = List.of(org.nabla.ops.TensorSpec.of(DType.FLOAT64, Shape.of(2)),
                org.nabla.ops.TensorSpec.of(DType.FLOAT64, Shape.of(2)));
        org.nabla.graph.FuncGraph withTape = org.nabla.graph.FuncGraph.trace("tape_step", specs, in -> {
            try (GradientTape tape = GradientTape.start()) {
                tape.watch(in[0]);
                tape.watch(in[1]);
                return tape.gradient(model.apply(in), in[0], in[1]);
            }
        });
        org.nabla.graph.FuncGraph symbolic = org.nabla.graph.FuncGraph.trace("symbolic_step", specs,
                in -> Gradients.gradients(List.of(model.apply(in)), List.of(in[0], in[1])).toArray(Tensor[]::new));
        for (double sign : new double[] {1, -1}) {
            Tensor x = Tensors.of(new double[] {0.4 * sign, 0.9 * sign});
            Tensor w = Tensors.of(new double[] {1.3, 0.7});
            Tensor[] a = SerialExecutor.call(withTape, x, w);
            Tensor[] b = SerialExecutor.call(symbolic, x, w);
            Tensor[] eager;
            try (GradientTape tape = GradientTape.start()) {
                tape.watch(x);
                tape.watch(w);
                eager = tape.gradient(model.apply(new Tensor[] {x, w}), x, w);
            }
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(b[i].toDoubleArray(), a[i].toDoubleArray(), 1e-12);
                assertArrayEquals(eager[i].toDoubleArray(), a[i].toDoubleArray(), 1e-12);
            }
        }
    }

    @Test
    void variablesReadOutsideTheLoopGetGradientsThroughItInATracedStep() {
        // The documented pattern for graphs: read the variable once outside the loop and use the value inside, so it
        // is a captured input of the While node and its gradient comes back through the rule.
        org.nabla.Variable w = org.nabla.Variable.of(new double[] {0.9, -0.4});
        Function<Tensor, Tensor> step = x -> {
            try (GradientTape tape = GradientTape.start()) {
                Tensor wv = w.read();
                Tensor h = Ops.whileLoop(v -> v[0].less(3), v -> new Tensor[] {v[0].add(1),
                        Ops.tanh(v[1].mul(wv).add(x))}, new Tensor[] {Tensors.scalar(0), x})[1];
                return tape.gradient(Ops.sum(h), w);
            }
        };
        Tensor x = Tensors.of(new double[] {0.2, 0.5});
        org.nabla.graph.FuncGraph traced = org.nabla.graph.FuncGraph.trace("step",
                List.of(org.nabla.ops.TensorSpec.of(DType.FLOAT64, Shape.of(2))),
                in -> new Tensor[] {step.apply(in[0])});
        Tensor graphGrad = SerialExecutor.call(traced, x)[0];
        Tensor eagerGrad = step.apply(x);
        assertArrayEquals(eagerGrad.toDoubleArray(), graphGrad.toDoubleArray(), 1e-12);
        double[] wv = {0.9, -0.4};
        double[] xv = {0.2, 0.5};
        for (int i = 0; i < 2; i++) {
            int e = i;
            java.util.function.DoubleUnaryOperator f = ww -> {
                double h = xv[e];
                for (int t = 0; t < 3; t++) h = Math.tanh(h * ww + xv[e]);
                return h;
            };
            double numeric = (f.applyAsDouble(wv[i] + 1e-6) - f.applyAsDouble(wv[i] - 1e-6)) / 2e-6;
            assertEquals(numeric, graphGrad.toDoubleArray()[i], 1e-8);
        }
    }

    // ---------------------------------------------------------------- Cond and Case

    @Test
    void condGradientRunsOnlyTheTakenBranchsGradient() {
        // The else branch gathers index 10 of a 3-vector: it fails whenever it runs, and so would its gradient.
        Tensor x = Tensors.of(new double[] {0.5, -1, 2});
        Graph g = new Graph();
        Tensor px, pp;
        List<Tensor> fetches;
        try (var s = g.asDefault()) {
            px = g.placeholder("x", DType.FLOAT64, Shape.of(3));
            pp = g.placeholder("pred", DType.BOOL, Shape.SCALAR);
            Tensor y = Ops.cond(pp, () -> Ops.mul(px, px), () -> Ops.gather(px, Tensors.of(new int[] {10})));
            fetches = List.of(y, Gradients.gradients(Ops.sum(y), px).get(0));
        }
        List<Output> out = fetches.stream().map(g::outputOf).toList();
        List<Tensor> taken = SerialExecutor.run(g, Map.of(g.outputOf(px), x, g.outputOf(pp), Tensors.scalar(true)),
                out, List.of());
        assertArrayEquals(new double[] {0.25, 1, 4}, taken.get(0).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, -2, 4}, taken.get(1).toDoubleArray(), 0);
        // The gradient is a Cond node whose branches are the forward branches' gradient functions.
        Node grad = g.outputOf(fetches.get(1)).node();
        assertTrue(g.nodes().stream().filter(n -> n.op().name().equals("Cond")).count() == 2, g.toString());
        assertNotNull(grad);
        // With pred false the forward branch fails, as it should (the gather is out of range).
        RuntimeException e = assertThrows(RuntimeException.class, () -> SerialExecutor.run(g,
                Map.of(g.outputOf(px), x, g.outputOf(pp), Tensors.scalar(false)), out, List.of()));
        assertTrue(String.valueOf(e.getMessage()).contains("10"), e.getMessage());
    }

    @Test
    void condBranchesUsingDifferentInputsGetZerosForTheOthers() {
        Function<Tensor[], Tensor[]> f = in -> new Tensor[] {Ops.cond(Ops.sum(in[0]).greater(0.0),
                () -> Ops.mul(Ops.sin(in[0]), in[1]), () -> Ops.exp(in[2]))};
        Tensor a = Tensors.of(new double[] {0.5, 0.7});
        Tensor b = Tensors.of(new double[] {-0.3, 0.2});
        Tensor c = Tensors.of(new double[] {0.1, 0.4});
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("cond then", f, mode, a, b, c).assertOk(TOLERANCE);
            GradientChecker.check("cond else", f, mode, Ops.neg(a), b, c).assertOk(TOLERANCE);
            GradientChecker.checkSecondOrder("cond then", f, mode, a, b, c).assertOk(TOLERANCE);
        }
        // Graph: the untaken branch's input gets zeros (not null: it is connected through the Cond node).
        List<Tensor> g = runGraph(b, pb -> Gradients.gradients(Ops.cond(Ops.sum(a).greater(0.0),
                () -> Ops.mul(Ops.sin(a), pb), () -> Ops.exp(pb)), pb));
        assertArrayEquals(new double[] {Math.sin(0.5), Math.sin(0.7)}, g.get(0).toDoubleArray(), 1e-15);
    }

    @Test
    void condWithSeveralResultsOfWhichOnlySomeAreUsed() {
        // Results: a float used by the loss, a float not used, an int32 count; only the first gets a gradient.
        Function<Tensor[], Tensor[]> f = in -> {
            Tensor[] r = Ops.cond(Ops.sum(in[0]).less(0.0),
                    () -> new Tensor[] {Ops.mul(in[0], in[1]), Ops.exp(in[1]), Tensors.scalar(1)},
                    () -> new Tensor[] {Ops.sin(in[1]), Ops.square(in[0]), Tensors.scalar(2)});
            return new Tensor[] {r[0]};
        };
        for (double sign : new double[] {1, -1}) {
            Tensor a = Tensors.of(new double[] {0.5 * sign, 0.7 * sign});
            Tensor b = Tensors.of(new double[] {-0.3, 0.2});
            for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
                GradientChecker.check("cond, one result used", f, mode, a, b).assertOk(TOLERANCE);
            }
        }
    }

    @Test
    void eagerCondRecordsOnlyTheTakenBranch() {
        Tensor a = Tensors.of(new double[] {0.5, 0.7});
        Tensor b = Tensors.of(new double[] {-0.3, 0.2});
        try (GradientTape tape = GradientTape.start()) {
            tape.watch(a);
            tape.watch(b);
            Tensor y = Ops.cond(Tensors.scalar(true), () -> Ops.mul(a, 3.0), () -> Ops.mul(b, 5.0));
            Tensor[] d = tape.gradient(Ops.sum(y), a, b);
            assertArrayEquals(new double[] {3, 3}, d[0].toDoubleArray(), 0);
            assertNull(d[1], "the untaken branch never ran, so b is not connected");
        }
    }

    @Test
    void caseGradientFollowsTheSelectedBranch() {
        // Branch 0: x*w, branch 1: sin(x), branch 2 (also the default): w^2 (x unused).
        Function<Tensor[], Tensor[]> f = in -> new Tensor[] {Ops.caseOf(in[0],
                () -> Ops.mul(in[1], in[2]), () -> Ops.sin(in[1]), () -> Ops.square(in[2]))};
        Tensor x = Tensors.of(new double[] {0.4, -0.9});
        Tensor w = Tensors.of(new double[] {1.5, 0.3});
        for (int index : new int[] {0, 1, 2, 7, -1}) {
            for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
                GradientChecker.check("case " + index, f, mode, Tensors.scalar(index), x, w).assertOk(TOLERANCE);
            }
        }
        GradientChecker.checkSecondOrder("case", f, GradientChecker.Mode.GRAPH, Tensors.scalar(1), x, w)
                .assertOk(TOLERANCE);
        // Hand-checked values for index 1, in a graph: d/dx sum(sin x) = cos x, d/dw = 0.
        Graph g = new Graph();
        Tensor pi, px, pw;
        List<Tensor> grads;
        try (var s = g.asDefault()) {
            pi = g.placeholder("i", DType.INT32, Shape.SCALAR);
            px = g.placeholder("x", DType.FLOAT64, Shape.of(2));
            pw = g.placeholder("w", DType.FLOAT64, Shape.of(2));
            grads = Gradients.gradients(Ops.sum(f.apply(new Tensor[] {pi, px, pw})[0]), px, pw);
        }
        List<Tensor> v = SerialExecutor.run(g, Map.of(g.outputOf(pi), Tensors.scalar(1), g.outputOf(px), x,
                g.outputOf(pw), w), grads.stream().map(g::outputOf).toList(), List.of());
        assertArrayEquals(new double[] {Math.cos(0.4), Math.cos(-0.9)}, v.get(0).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {0, 0}, v.get(1).toDoubleArray(), 0);
    }

    @Test
    void condOpRunEagerlyUnderATapeUsesTheRule() {
        // The raw Cond op (not the front door) run eagerly: the tape records the op call and the rule runs eagerly.
        for (GradientRecipes.Case c : GradientRecipes.all().get("Cond")) {
            GradientChecker.check(c.label(), c.f(), GradientChecker.Mode.EAGER, c.inputs()).assertOk(TOLERANCE);
        }
        for (GradientRecipes.Case c : GradientRecipes.all().get("While")) {
            GradientChecker.check(c.label(), c.f(), GradientChecker.Mode.EAGER, c.inputs()).assertOk(TOLERANCE);
        }
    }

    @Test
    void gradientsOfTheSameLoopTwiceAgree() {
        Tensor x = Tensors.of(new double[] {0.2, 0.4});
        List<Tensor> out = runGraph(x, p -> {
            Tensor y = Ops.whileLoop(v -> v[0].less(2), v -> new Tensor[] {v[0].add(1), Ops.exp(v[1])},
                    new Tensor[] {Tensors.scalar(0), p})[1];
            return List.of(Gradients.gradients(Ops.sum(y), p).get(0), Gradients.gradients(Ops.sum(y), p).get(0));
        });
        assertArrayEquals(out.get(0).toDoubleArray(), out.get(1).toDoubleArray(), 0);
        double e = Math.exp(0.2);
        assertEquals(e * Math.exp(e), out.get(0).toDoubleArray()[0], 1e-12);
    }
}
