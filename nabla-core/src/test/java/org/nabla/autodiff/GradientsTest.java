package org.nabla.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Output;
import org.nabla.runtime.SerialExecutor;

/** Symbolic gradients: the seed's worked example against hand-derived gradients, pruning, sums, second order. */
class GradientsTest {
    private static double[] random(SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextDouble(-1, 1);
        return v;
    }

    /** a [m, k] x b [k, n] in plain float64 loops, with optional transposes of the stored matrices. */
    private static double[] matmul(double[] a, boolean ta, double[] b, boolean tb, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    @Test
    void seedWorkedExampleMatchesHandDerivedGradients() {
        int n = 4, d = 3, h = 5, o = 2;
        SplittableRandom r = new SplittableRandom(7);
        double[] xv = random(r, n * d), wv = random(r, d * h), w1v = random(r, h * o), lv = random(r, n * o);
        Graph g = new Graph();
        Tensor x, w, w1, label, loss;
        List<Tensor> grads;
        try (ExecutionContext.Scope s = g.asDefault()) {
            x = g.placeholder("X", DType.FLOAT64, Shape.of(-1, d));
            label = g.placeholder("Label", DType.FLOAT64, Shape.of(-1, o));
            w = Ops.constant(Tensor.wrap(DType.FLOAT64, Shape.of(d, h), wv.clone()));
            w1 = Ops.constant(Tensor.wrap(DType.FLOAT64, Shape.of(h, o), w1v.clone()));
            Tensor x1 = Ops.matmul(x, w);
            Tensor y = Ops.matmul(x1, w1);
            loss = Ops.mean(Ops.square(Ops.sub(y, label)));
            grads = Gradients.gradients(List.of(loss), List.of(w, w1, x, label));
        }
        Map<Output, Tensor> feeds = Map.of(g.outputOf(x), Tensor.wrap(DType.FLOAT64, Shape.of(n, d), xv.clone()),
                g.outputOf(label), Tensor.wrap(DType.FLOAT64, Shape.of(n, o), lv.clone()));
        List<Tensor> out = SerialExecutor.run(g, feeds, grads.stream().map(g::outputOf).toList(), List.of());

        // Hand-derived: gradY = 2 (Y - Label) / N (N = all elements of Y), dW1 = X1^T gradY, dW = X^T (gradY W1^T).
        double[] x1 = matmul(xv, false, wv, false, n, d, h);
        double[] y = matmul(x1, false, w1v, false, n, h, o);
        double[] gradY = new double[n * o];
        for (int i = 0; i < gradY.length; i++) gradY[i] = 2 * (y[i] - lv[i]) / (n * o);
        double[] dW1 = matmul(x1, true, gradY, false, h, n, o);
        double[] gradX1 = matmul(gradY, false, w1v, true, n, o, h);
        double[] dW = matmul(xv, true, gradX1, false, d, n, h);
        double[] dX = matmul(gradX1, false, wv, true, n, h, d);
        double[] dLabel = new double[n * o];
        for (int i = 0; i < dLabel.length; i++) dLabel[i] = -gradY[i];
        assertClose(dW, out.get(0), DType.FLOAT64, new int[] {d, h}, 1e-12);
        assertClose(dW1, out.get(1), DType.FLOAT64, new int[] {h, o}, 1e-12);
        assertClose(dX, out.get(2), DType.FLOAT64, new int[] {n, d}, 1e-12);
        assertClose(dLabel, out.get(3), DType.FLOAT64, new int[] {n, o}, 1e-12);
    }

    @Test
    void hessianVectorProductMatchesHandComputedHessian() {
        // f(x) = sum(x^3) + x0 * x1 * x2  has Hessian H_ii = 6 x_i, H_ij = x_k (i, j, k distinct).
        double[] xv = {0.5, -1.5, 2.0};
        double[] v = {1.0, 2.0, -3.0};
        Graph g = new Graph();
        Tensor x, hv;
        try (ExecutionContext.Scope s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT64, Shape.of(3));
            Tensor cube = Ops.sum(Ops.mul(Ops.square(x), x));
            Tensor prod = Ops.prod(x);
            Tensor f = Ops.add(cube, prod);
            Tensor grad = Gradients.gradients(f, x).get(0);
            Tensor gv = Ops.sum(Ops.mul(grad, Ops.constant(v)));
            hv = Gradients.gradients(gv, x).get(0);
        }
        Tensor out = SerialExecutor.run(g, Map.of(g.outputOf(x), Ops.constant(xv)), List.of(g.outputOf(hv)),
                List.of()).get(0);
        double[][] hess = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) hess[i][j] = i == j ? 6 * xv[i] : xv[3 - i - j];
        }
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) expected[i] += hess[i][j] * v[j];
        assertClose(expected, out, DType.FLOAT64, new int[] {3}, 1e-12);
    }

    @Test
    void gradientsFromSeveralConsumersAreSummedAndGradYsSeedTheWalk() {
        Graph g = new Graph();
        Tensor x, dx, dxSeeded;
        try (ExecutionContext.Scope s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(2));
            Tensor y = Ops.add(Ops.mul(x, x), Ops.sin(x)); // x used three times
            dx = Gradients.gradients(y, x).get(0);
            dxSeeded = Gradients.gradients(List.of(y), List.of(x), List.of(Ops.constant(new float[] {2, -1}))).get(0);
        }
        float[] xv = {0.3f, -2f};
        List<Tensor> out = SerialExecutor.run(g, Map.of(g.outputOf(x), Ops.constant(xv)),
                List.of(g.outputOf(dx), g.outputOf(dxSeeded)), List.of());
        double[] expected = new double[2], seeded = new double[2];
        for (int i = 0; i < 2; i++) {
            expected[i] = 2 * xv[i] + Math.cos(xv[i]);
            seeded[i] = expected[i] * (i == 0 ? 2 : -1);
        }
        assertClose(expected, out.get(0), DType.FLOAT32, new int[] {2}, 1e-6);
        assertClose(seeded, out.get(1), DType.FLOAT32, new int[] {2}, 1e-6);
    }

    @Test
    void unconnectedIntegerAndStoppedSourcesGetNull() {
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(2));
            Tensor unrelated = g.placeholder("u", DType.FLOAT32, Shape.of(2));
            Tensor stopped = g.placeholder("s", DType.FLOAT32, Shape.of(2));
            Tensor i = g.placeholder("i", DType.INT32, Shape.of(2));
            Tensor y = Ops.sum(Ops.add(Ops.mul(x, Ops.cast(i, DType.FLOAT32)), Ops.stopGradient(stopped)));
            List<Tensor> grads = Gradients.gradients(List.of(y), List.of(x, unrelated, stopped, i));
            assertTrue(grads.get(0) != null);
            assertNull(grads.get(1));
            assertNull(grads.get(2));
            assertNull(grads.get(3));
        }
    }

    @Test
    void worksWithoutEnteringTheGraphAndWithUnknownDimensions() {
        Graph g = new Graph();
        Tensor x, b, y;
        try (ExecutionContext.Scope s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3));
            b = g.placeholder("b", DType.FLOAT32, Shape.of(3));
            y = Ops.mean(Ops.add(x, b));
        }
        List<Tensor> grads = Gradients.gradients(List.of(y), List.of(x, b)); // called outside the graph context
        List<Tensor> out = SerialExecutor.run(g, Map.of(g.outputOf(x), Ops.ones(DType.FLOAT32, 2, 3),
                g.outputOf(b), Ops.ones(DType.FLOAT32, 3)), grads.stream().map(g::outputOf).toList(), List.of());
        assertClose(new double[] {1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0}, out.get(0), DType.FLOAT32,
                new int[] {2, 3}, 1e-7);
        assertClose(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, out.get(1), DType.FLOAT32, new int[] {3}, 1e-7);
    }

    @Test
    void gradientsInsideATracedFunctionAndATapeAroundIt() {
        // gradients() inside FuncGraph.trace (the tracing context) ...
        org.nabla.graph.FuncGraph f = org.nabla.graph.FuncGraph.trace("grad_of_cube",
                List.of(org.nabla.ops.TensorSpec.of(DType.FLOAT64, Shape.of(-1))),
                in -> new Tensor[] {Gradients.gradients(Ops.sum(Ops.mul(Ops.square(in[0]), in[0])), in[0]).get(0)});
        Tensor out = SerialExecutor.call(f, Ops.constant(new double[] {1, -2, 0.5}))[0];
        assertClose(new double[] {3, 12, 0.75}, out, DType.FLOAT64, new int[] {3}, 1e-12);
        // ... and a tape recording while a function is traced.
        org.nabla.graph.FuncGraph g = org.nabla.graph.FuncGraph.trace("tape_grad",
                List.of(org.nabla.ops.TensorSpec.of(DType.FLOAT64, Shape.of(2))), in -> {
                    try (GradientTape tape = GradientTape.start()) {
                        tape.watch(in[0]);
                        return new Tensor[] {tape.gradient(Ops.sum(Ops.exp(in[0])), in[0])};
                    }
                });
        Tensor e = SerialExecutor.call(g, Ops.constant(new double[] {0, 1}))[0];
        assertClose(new double[] {1, Math.E}, e, DType.FLOAT64, new int[] {2}, 1e-12);
    }

    @Test
    void errorsNameTheProblem() {
        Tensor eager = Ops.constant(new float[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gradients.gradients(eager, eager));
        assertTrue(e.getMessage().contains("must be a graph tensor") && e.getMessage().contains("GradientTape"),
                e.getMessage());
        Graph g1 = new Graph(), g2 = new Graph();
        Tensor a, b;
        try (var s = g1.asDefault()) {
            a = g1.placeholder("a", DType.FLOAT32, Shape.of(1));
        }
        try (var s = g2.asDefault()) {
            b = g2.placeholder("b", DType.FLOAT32, Shape.of(1));
        }
        e = assertThrows(IllegalArgumentException.class, () -> Gradients.gradients(a, b));
        assertTrue(e.getMessage().contains("another graph"), e.getMessage());
        assertEquals("xs[0]", e.getMessage().substring(11, 16));
        e = assertThrows(IllegalArgumentException.class, () -> Gradients.gradients(List.of(a), List.of(a),
                List.of(Ops.constant(new double[] {1}))));
        assertTrue(e.getMessage().contains("gradYs[0] is float64") && e.getMessage().contains("ys[0] is float32"),
                e.getMessage());
    }
}
