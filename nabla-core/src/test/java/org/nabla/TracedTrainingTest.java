package org.nabla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.nabla.autodiff.GradientTape;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.runtime.FunctionRunner;
import org.nabla.runtime.optimize.OptimizerOptions;

/**
 * A whole training step (forward, loss, GradientTape gradients, variable updates) written once as a Java lambda
 * gives the same results eagerly and traced into one graph run by the optimizing executor.
 */
class TracedTrainingTest {
    private static final int BATCH = 8, IN = 20, HIDDEN = 16, OUT = 5;

    /** Dense(IN -> HIDDEN, relu) -> Dense(HIDDEN -> OUT), Glorot-uniform weights from a seed, zero biases. */
    record Mlp(Variable w1, Variable b1, Variable w2, Variable b2) {
        static Mlp create(long seed) {
            Random rnd = new Random(seed);
            return new Mlp(Variable.of(glorot(rnd, IN, HIDDEN)), Variable.of(Tensors.of(new float[HIDDEN], HIDDEN)),
                    Variable.of(glorot(rnd, HIDDEN, OUT)), Variable.of(Tensors.of(new float[OUT], OUT)));
        }

        List<Variable> variables() { return List.of(w1, b1, w2, b2); }

        Tensor loss(Tensor x, Tensor labels) {
            Tensor h = Ops.relu(Ops.biasAdd(Ops.matmul(x, w1.read()), b1.read()));
            Tensor logits = Ops.biasAdd(Ops.matmul(h, w2.read()), b2.read());
            return Ops.mean(Ops.sparseSoftmaxCrossEntropyWithLogits(logits, labels));
        }

        /** SGD with learning rate 0.1 through assignSub; returns the loss before the update. */
        Tensor sgdStep(Tensor x, Tensor labels) {
            Tensor loss;
            List<Tensor> grads;
            try (GradientTape tape = GradientTape.start()) {
                loss = loss(x, labels);
                grads = tape.gradient(loss, variables());
            }
            for (int i = 0; i < 4; i++) variables().get(i).assignSub(Ops.mul(grads.get(i), 0.1f));
            return loss;
        }
    }

    /** Adam's slots and step counter for an Mlp's variables. */
    record Adam(Mlp model, List<Variable> m, List<Variable> v, Variable t) {
        static final float LR = 0.01f, B1 = 0.9f, B2 = 0.999f, EPS = 1e-7f;

        static Adam of(Mlp model) {
            List<Variable> m = new ArrayList<>(), v = new ArrayList<>();
            for (Variable w : model.variables()) {
                m.add(Variable.of(Ops.zeros(DType.FLOAT32, w.shape().dims())));
                v.add(Variable.of(Ops.zeros(DType.FLOAT32, w.shape().dims())));
            }
            return new Adam(model, m, v, Variable.of(0f));
        }

        Tensor step(Tensor x, Tensor labels) {
            Tensor loss;
            List<Tensor> grads;
            try (GradientTape tape = GradientTape.start()) {
                loss = model.loss(x, labels);
                grads = tape.gradient(loss, model.variables());
            }
            Tensor step = t.assignAdd(1f);
            Tensor c1 = Ops.sub(1f, Ops.pow(B1, step));
            Tensor c2 = Ops.sub(1f, Ops.pow(B2, step));
            for (int i = 0; i < 4; i++) {
                Tensor g = grads.get(i);
                Tensor mi = m.get(i).assign(Ops.add(Ops.mul(m.get(i).read(), B1), Ops.mul(g, 1 - B1)));
                Tensor vi = v.get(i).assign(Ops.add(Ops.mul(v.get(i).read(), B2), Ops.mul(Ops.square(g), 1 - B2)));
                Tensor update = Ops.div(Ops.div(mi, c1), Ops.add(Ops.sqrt(Ops.div(vi, c2)), EPS));
                model.variables().get(i).assignSub(Ops.mul(update, LR));
            }
            return loss;
        }
    }

    private static Tensor glorot(Random rnd, int fanIn, int fanOut) {
        float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
        float[] w = new float[fanIn * fanOut];
        for (int i = 0; i < w.length; i++) w[i] = (rnd.nextFloat() * 2 - 1) * limit;
        return Tensors.of(w, fanIn, fanOut);
    }

    private static Tensor[] batch(long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[BATCH * IN];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat() * 2 - 1;
        int[] y = new int[BATCH];
        for (int i = 0; i < y.length; i++) y[i] = rnd.nextInt(OUT);
        return new Tensor[] {Tensors.of(x, BATCH, IN), Tensors.of(y, BATCH)};
    }

    private static void assertSameWeights(Mlp expected, Mlp actual, double tol) {
        for (int i = 0; i < 4; i++) {
            Tensor e = expected.variables().get(i).read();
            assertClose(e.toDoubleArray(), actual.variables().get(i).read(), DType.FLOAT32, e.shape().dims(), tol);
        }
    }

    @Test
    void sgdStepTracedEqualsEager() {
        Mlp eager = Mlp.create(3);
        Mlp traced = Mlp.create(3);
        TracedFunction step = TracedFunction.of("sgd_step", a -> new Tensor[] {traced.sgdStep(a[0], a[1])});
        for (int s = 0; s < 5; s++) {
            Tensor[] data = batch(100 + s);
            Tensor le = eager.sgdStep(data[0], data[1]);
            Tensor lt = step.call(data[0], data[1])[0];
            assertClose(new double[] {le.doubleValue()}, lt, DType.FLOAT32, new int[0], 1e-5);
            assertSameWeights(eager, traced, 1e-5);
        }
        assertEquals(1, step.traceCount());
        // one graph: forward, backward and updates; the optimizer fused each scaled update into ApplyGradientDescent
        Tensor[] data = batch(0);
        ConcreteFunction cf = step.concreteFunction(data[0].spec(), data[1].spec());
        List<String> traceOps = cf.graph().graph().nodes().stream().map(n -> n.op().name()).toList();
        assertTrue(traceOps.contains("ReluGrad") && traceOps.contains("MatMul"), traceOps.toString());
        assertEquals(4, traceOps.stream().filter("AssignSubVariable"::equals).count(), traceOps.toString());
        List<String> executed = new ArrayList<>();
        for (Graph g : cf.runner().executedGraphs()) for (Node n : g.nodes()) executed.add(n.op().name());
        // biases: ApplyGradientDescent; weights, whose gradients are matrix products: one GEMM each
        assertEquals(2, executed.stream().filter("ApplyGradientDescent"::equals).count(), executed.toString());
        assertEquals(2, executed.stream().filter("MatMulApplyGradientDescent"::equals).count(), executed.toString());
        assertEquals(0, executed.stream().filter("AssignSubVariable"::equals).count(), executed.toString());
        // the gradient with respect to the input batch is not computed: 2 forward products (each fused with its
        // bias and activation), 1 backward (dh)
        assertEquals(2, executed.stream().filter("FusedMatMul"::equals).count(), executed.toString());
        assertEquals(1, executed.stream().filter("MatMul"::equals).count(), executed.toString());
    }

    @Test
    void sgdLossFallsAndMatchesTheUnoptimizedGraph() {
        Mlp a = Mlp.create(5);
        Mlp b = Mlp.create(5);
        TracedFunction fa = TracedFunction.of(x -> new Tensor[] {a.sgdStep(x[0], x[1])});
        TracedFunction fb = TracedFunction.of(x -> new Tensor[] {b.sgdStep(x[0], x[1])});
        Tensor[] data = batch(9);
        FunctionRunner unoptimized = FunctionRunner.prepare(fb.graph(data[0].spec(), data[1].spec()),
                OptimizerOptions.NONE);
        double first = 0, last = 0;
        for (int s = 0; s < 30; s++) {
            Tensor la = fa.call(data)[0];
            Tensor lb = unoptimized.call(data)[0];
            assertClose(new double[] {lb.doubleValue()}, la, DType.FLOAT32, new int[0], 1e-5);
            if (s == 0) first = la.doubleValue();
            last = la.doubleValue();
        }
        assertSameWeights(b, a, 1e-5);
        assertTrue(last < first * 0.5, "loss went from " + first + " to " + last);
    }

    @Test
    void adamStepTracedEqualsEager() {
        Adam eager = Adam.of(Mlp.create(11));
        Adam traced = Adam.of(Mlp.create(11));
        TracedFunction step = TracedFunction.of("adam_step", a -> new Tensor[] {traced.step(a[0], a[1])});
        for (int s = 0; s < 4; s++) {
            Tensor[] data = batch(200 + s);
            Tensor le = eager.step(data[0], data[1]);
            Tensor lt = step.call(data[0], data[1])[0];
            assertClose(new double[] {le.doubleValue()}, lt, DType.FLOAT32, new int[0], 1e-5);
        }
        assertEquals(1, step.traceCount());
        assertEquals(4f, traced.t().read().floatValue());
        assertSameWeights(eager.model(), traced.model(), 1e-5);
        for (int i = 0; i < 4; i++) {
            Tensor m = eager.m().get(i).read();
            assertClose(m.toDoubleArray(), traced.m().get(i).read(), DType.FLOAT32, m.shape().dims(), 1e-6);
        }
    }

    @Test
    void applyGradientDescentSubtractsTheScaledDelta() {
        Variable v = Variable.of(Tensors.of(new float[] {1, 2, 3}, 3));
        Tensor r = v.applyGradientDescent(0.5f, Tensors.of(new float[] {2, -2, 0.1f}, 3));
        assertClose(new double[] {0, 3, 3 - 0.5f * 0.1f}, r, DType.FLOAT32, new int[] {3}, 1e-7);
        assertClose(new double[] {0, 3, 3 - 0.5f * 0.1f}, v.read(), DType.FLOAT32, new int[] {3}, 1e-7);
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> v.applyGradientDescent(0.5f, Tensors.of(new float[] {1, 2}, 2)));
        assertTrue(bad.getMessage().contains("cannot take a delta of float32(2,)"), bad.getMessage());
        Variable d = Variable.of(Tensors.of(new double[] {1, 2}, 2));
        d.applyGradientDescent(2.0, Tensors.of(new double[] {0.25, 1}, 2));
        assertClose(new double[] {0.5, 0}, d.read(), DType.FLOAT64, new int[] {2}, 0);
    }

    @Test
    void matmulApplyGradientDescentMatchesAReference() {
        Random rnd = new Random(4);
        int m = 5, n = 3, k = 300; // k beyond one GEMM K block
        float[] w0 = new float[m * n], a = new float[k * m], b = new float[n * k];
        for (int i = 0; i < w0.length; i++) w0[i] = rnd.nextFloat();
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
        Variable w = Variable.of(Tensors.of(w0, m, n));
        // a stored [k, m] used transposed, b stored [n, k] used transposed
        Tensor r = Ops.run(org.nabla.ops.StateOps.MATMUL_APPLY_GRADIENT_DESCENT, org.nabla.ops.Attrs.of("name",
                w.name(), "transposeA", true, "transposeB", true), Tensors.scalar(0.1f), Tensors.of(a, k, m),
                Tensors.of(b, n, k));
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) acc += (double) a[p * m + i] * b[j * k + p];
                expected[i * n + j] = w0[i * n + j] - 0.1 * acc;
            }
        }
        assertClose(expected, r, DType.FLOAT32, new int[] {m, n}, 1e-5);
        assertClose(expected, w.read(), DType.FLOAT32, new int[] {m, n}, 1e-5);
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Ops.run(org.nabla.ops.StateOps.MATMUL_APPLY_GRADIENT_DESCENT, org.nabla.ops.Attrs.of("name",
                        w.name()), Tensors.scalar(0.1f), Tensors.of(new float[4], 2, 2), Tensors.of(new float[4], 2, 2)));
        assertTrue(bad.getMessage().contains("holds float32(5, 3)"), bad.getMessage());
    }

    @Test
    void nestedControlFlowCallsFromManyThreadsFinish() throws Exception {
        // loops with a cond inside: the While and Cond kernels call their sub-graphs inline, also when they run on
        // an inter-op worker, so 16 concurrent calls on the 2-thread shared pool cannot starve each other
        Variable acc = Variable.of(0f);
        TracedFunction f = TracedFunction.of("nested", in -> {
            Tensor n = in[0];
            Tensor[] r = Ops.whileLoop(v -> v[0].less(n), v -> new Tensor[] {v[0].add(1), v[1].add(Ops.cond(
                    v[0].mod(2).equal(0), () -> Ops.matmul(in[1], in[1]), () -> in[1]))},
                    new Tensor[] {Tensors.scalar(0), Ops.zerosLike(in[1])});
            acc.assignAdd(Ops.sum(r[1]));
            return new Tensor[] {r[1]};
        });
        Tensor m = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Tensor>> results = new ArrayList<>();
            for (int i = 0; i < 48; i++) results.add(pool.submit(() -> f.call(Tensors.scalar(5), m)[0]));
            // 3 even iterations add m·m = [[7, 10], [15, 22]], 2 odd ones add m
            for (Future<Tensor> r : results) {
                assertClose(new double[] {23, 34, 51, 74}, r.get(), DType.FLOAT32, new int[] {2, 2}, 0);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(48 * (23 + 34 + 51 + 74), acc.read().floatValue(), 1e-3);
        assertEquals(1, f.traceCount());
    }

    @Test
    void concurrentCallsOfOneTraceAreIndependent() throws Exception {
        Variable w = Variable.of(Tensors.of(new float[] {1, 2, 3, 4}, 2, 2));
        TracedFunction f = TracedFunction.unary(x -> Ops.relu(Ops.matmul(x, w.read())).mul(2f));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Tensor>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                float k = i;
                results.add(pool.submit(() -> f.apply(Tensors.of(new float[] {k, 0, 0, k}, 2, 2))));
            }
            for (int i = 0; i < 64; i++) {
                assertClose(new double[] {2 * i, 4 * i, 6 * i, 8 * i}, results.get(i).get(), DType.FLOAT32,
                        new int[] {2, 2}, 0);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, f.traceCount());
    }
}
