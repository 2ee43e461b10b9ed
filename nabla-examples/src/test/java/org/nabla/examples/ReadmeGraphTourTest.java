package org.nabla.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.TracedFunction;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.autodiff.Gradients;
import org.nabla.graph.Graph;
import org.nabla.runtime.Session;
import org.nabla.runtime.Variables;

/** The README's graph/gradient/control-flow/tracing tour, line for line. */
class ReadmeGraphTourTest {
    @Test
    void tourRuns() {
        Graph g = new Graph();
        Tensor x, loss, grad;
        try (var scope = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3));
            Variable w = Variables.create(g, "w", Ops.randomNormal(new int[] {3, 1}, DType.FLOAT32, 0, 1, 7));
            Tensor wValue = w.read();
            loss = Ops.mean(Ops.square(Ops.matmul(x, wValue)));
            grad = Gradients.gradients(List.of(loss), List.of(wValue)).get(0);
        }
        float[] w0 = Ops.randomNormal(new int[] {3, 1}, DType.FLOAT32, 0, 1, 7).toFloatArray();
        try (Session s = new Session(g)) {
            s.runner().addTarget(Variables.globalVariablesInitializer(g)).run();
            List<Tensor> out = s.runner().feed(x, new float[][] {{1, 2, 3}}).fetch(loss).fetch(grad).run();
            double p = w0[0] + 2.0 * w0[1] + 3.0 * w0[2];
            assertEquals(p * p, out.get(0).doubleValue(), 1e-4 * Math.max(1, p * p));
            assertArrayEquals(new float[] {(float) (2 * p), (float) (4 * p), (float) (6 * p)},
                    out.get(1).toFloatArray(), 1e-4f * (float) Math.max(1, Math.abs(p)));
        }

        Variable v = Variable.of(new float[] {1, 2});
        try (GradientTape tape = GradientTape.start()) {
            Tensor y = Ops.sum(Ops.square(v.read()));
            Tensor dy = tape.gradient(y, v);
            assertArrayEquals(new float[] {2, 4}, dy.toFloatArray());
        }

        Tensor a = Tensors.scalar(4f);
        Tensor r = Ops.cond(Ops.greater(a, 0f), () -> Ops.sqrt(a), () -> Ops.neg(a));
        assertEquals(2f, r.floatValue());
        Tensor[] n = Ops.whileLoop(vs -> Ops.less(vs[0], 10), vs -> new Tensor[] {Ops.add(vs[0], 1)},
                new Tensor[] {Tensors.scalar(0)});
        assertEquals(10, n[0].intValue());

        TracedFunction layer = TracedFunction.unary(t -> Ops.relu(Ops.mul(t, v.read())));
        Tensor z = layer.apply(Tensors.of(new float[] {3, -3}));
        assertArrayEquals(new float[] {3, 0}, z.toFloatArray());
    }
}
