package org.nabla.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nabla.TensorAssert.assertClose;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.graph.Graph;
import org.nabla.runtime.SerialExecutor;

/** Runs the examples of docs/autodiff.md as written there, checking their results by hand. */
class AutodiffDocTest {
    @Test
    void seedWorkedExampleInAGraph() {
        Graph g = new Graph();
        Tensor x, label, w, w1, loss;
        List<Tensor> grads;
        try (var scope = g.asDefault()) {
            x = g.placeholder("X", DType.FLOAT32, Shape.of(-1, 3));
            label = g.placeholder("Label", DType.FLOAT32, Shape.of(-1, 2));
            w = Ops.constant(new float[][] {{0.1f, 0.2f}, {0.3f, 0.4f}, {0.5f, 0.6f}});
            w1 = Ops.constant(new float[][] {{1, -1}, {2, 0.5f}});
            Tensor x1 = Ops.matmul(x, w);
            Tensor y = Ops.matmul(x1, w1);
            loss = Ops.mean(Ops.square(Ops.sub(y, label)));
            grads = Gradients.gradients(List.of(loss), List.of(w, w1));
        }
        List<Tensor> values = SerialExecutor.run(g,
                Map.of(g.outputOf(x), Tensors.of(new float[][] {{1, 2, 3}, {4, 5, 6}}),
                       g.outputOf(label), Tensors.of(new float[][] {{1, 0}, {0, 1}})),
                List.of(g.outputOf(grads.get(0)), g.outputOf(grads.get(1))), List.of());
        // By hand: X1 = [[2.2, 2.8], [4.9, 6.4]], Y = X1 W1 = [[7.8, -0.8], [17.7, -1.7]],
        // gradY = 2 (Y - Label) / 4 = [[3.4, -0.4], [8.85, -1.35]].
        double[][] xv = {{1, 2, 3}, {4, 5, 6}}, x1 = {{2.2, 2.8}, {4.9, 6.4}}, gy = {{3.4, -0.4}, {8.85, -1.35}};
        double[][] w1v = {{1, -1}, {2, 0.5}};
        double[] dW1 = new double[4], dW = new double[6];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int n = 0; n < 2; n++) {
            dW1[i * 2 + j] += x1[n][i] * gy[n][j];
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                for (int n = 0; n < 2; n++) {
                    for (int k = 0; k < 2; k++) dW[i * 2 + j] += xv[n][i] * gy[n][k] * w1v[j][k];
                }
            }
        }
        assertClose(dW, values.get(0), DType.FLOAT32, new int[] {3, 2}, 1e-5);
        assertClose(dW1, values.get(1), DType.FLOAT32, new int[] {2, 2}, 1e-5);
    }

    @Test
    void eagerTapeWithVariables() {
        Variable w = Variable.of(new float[][] {{1, 2}, {3, 4}});
        Variable b = Variable.of(new float[] {0.5f, -0.5f});
        Tensor x = Tensors.of(new float[][] {{1, -1}});
        List<Tensor> grads;
        try (GradientTape tape = GradientTape.start()) {
            Tensor y = Ops.add(Ops.matmul(x, w.read()), b.read());
            Tensor loss = Ops.sum(Ops.square(y));
            grads = tape.gradient(loss, List.of(w, b));
        }
        w.assignSub(Ops.mul(grads.get(0), 0.1f));
        // y = [-1.5, -2.5], dL/dy = [-3, -5], dW = x^T dy = [[-3, -5], [3, 5]]
        assertClose(new double[] {1.3, 2.5, 2.7, 3.5}, w.read(), DType.FLOAT32, new int[] {2, 2}, 1e-6);
        assertClose(new double[] {-3, -5}, grads.get(1), DType.FLOAT32, new int[] {2}, 1e-6);
    }

    @Test
    void secondOrderWithNestedTapesAndHessianVectorProductInAGraph() {
        Tensor x = Tensors.scalar(1.5);
        Tensor dy, d2y;
        try (GradientTape outer = GradientTape.start()) {
            outer.watch(x);
            try (GradientTape inner = GradientTape.start()) {
                inner.watch(x);
                Tensor y = Ops.mul(Ops.sin(x), Ops.square(x));
                dy = inner.gradient(y, x);
            }
            d2y = outer.gradient(dy, x);
        }
        double v = 1.5;
        assertEquals(2 * v * Math.sin(v) + v * v * Math.cos(v), dy.doubleValue(), 1e-12);
        assertEquals(2 * Math.sin(v) + 4 * v * Math.cos(v) - v * v * Math.sin(v), d2y.doubleValue(), 1e-12);

        Graph g = new Graph();
        Tensor p, hv;
        try (var scope = g.asDefault()) {
            p = g.placeholder("x", DType.FLOAT64, Shape.of(2));
            Tensor f = Ops.sum(Ops.mul(Ops.square(p), Ops.exp(p))); // f = sum x^2 e^x, Hessian diagonal
            Tensor vec = Ops.constant(new double[] {1, -2});
            Tensor grad = Gradients.gradients(f, p).get(0);
            hv = Gradients.gradients(Ops.sum(Ops.mul(grad, vec)), p).get(0);
        }
        Tensor out = SerialExecutor.run(g, Map.of(g.outputOf(p), Tensors.of(new double[] {0.5, -1})),
                List.of(g.outputOf(hv)), List.of()).get(0);
        double[] xs = {0.5, -1}, vs = {1, -2}, expected = new double[2];
        for (int i = 0; i < 2; i++) expected[i] = (2 + 4 * xs[i] + xs[i] * xs[i]) * Math.exp(xs[i]) * vs[i];
        assertClose(expected, out, DType.FLOAT64, new int[] {2}, 1e-12);
    }

    @Test
    void customGradientExample() {
        Tensor x = Tensors.of(new float[] {3, -0.5f});
        Gradients.CustomGradientFunction clipGrad = in -> Gradients.CustomResult.of(
                Ops.identity(in[0]),
                dy -> new Tensor[] {Ops.clip(dy[0], -1.0, 1.0)});
        try (GradientTape tape = GradientTape.start()) {
            tape.watch(x);
            Tensor y = Gradients.customGradient(clipGrad, x)[0];
            Tensor dx = tape.gradient(Ops.sum(Ops.square(y)), x); // 2y = [6, -1] clipped
            assertClose(new double[] {1, -1}, dx, DType.FLOAT32, new int[] {2}, 0);
        }
    }
}
