package org.nabla.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;
import static org.nabla.TensorAssert.assertExact;
import static org.nabla.autodiff.GradSupport.broadcastLike;
import static org.nabla.autodiff.GradSupport.gatherGrad;
import static org.nabla.autodiff.GradSupport.reshapeLike;
import static org.nabla.autodiff.GradSupport.sumToShapeOf;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.graph.Graph;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradOps;
import org.nabla.ops.OpException;
import org.nabla.runtime.SerialExecutor;

/** The gradient helper ops (org.nabla.ops.GradOps): hand-worked values, runtime shapes in graphs, and errors. */
class GradOpsTest {
    private static Tensor t(Object v) { return Tensors.convert(v); }

    private static Tensor padGrad(Tensor grad, Tensor like, int[] paddings, String mode) {
        return Ops.run(GradOps.PAD_GRAD, Attrs.of("paddings", paddings, "mode", mode), grad, like);
    }

    private static Tensor tileGrad(Tensor grad, Tensor like, int... multiples) {
        return Ops.run(GradOps.TILE_GRAD, Attrs.of("multiples", multiples), grad, like);
    }

    @Test
    void stopGradientZerosOnesLike() {
        Tensor x = t(new float[][] {{1, 2}, {3, 4}});
        assertClose(new double[] {1, 2, 3, 4}, Ops.stopGradient(x), DType.FLOAT32, new int[] {2, 2}, 0);
        assertClose(new double[] {0, 0, 0, 0}, Ops.zerosLike(x), DType.FLOAT32, new int[] {2, 2}, 0);
        assertExact(new long[] {1, 1, 1}, Ops.onesLike(t(new long[] {5, 6, 7})), DType.INT64, 3);
        assertExact(new long[] {0, 0}, Ops.zerosLike(t(new boolean[] {true, true})), DType.BOOL, 2);
        assertExact(new long[] {}, Ops.onesLike(Ops.zeros(DType.INT32, 0, 3)), DType.INT32, 0, 3);
    }

    @Test
    void sumToShapeOfUndoesBroadcasting() {
        Tensor g = t(new double[][][] {{{1, 2, 3}, {4, 5, 6}}, {{7, 8, 9}, {10, 11, 12}}}); // [2, 2, 3]
        assertClose(new double[] {22, 26, 30}, sumToShapeOf(g, t(new double[] {0, 0, 0})), DType.FLOAT64,
                new int[] {3}, 0);
        assertClose(new double[] {6, 15, 24, 33}, sumToShapeOf(g, Ops.zeros(DType.FLOAT64, 2, 2, 1)),
                DType.FLOAT64, new int[] {2, 2, 1}, 0);
        assertClose(new double[] {8, 10, 12, 14, 16, 18}, sumToShapeOf(g, Ops.zeros(DType.FLOAT64, 1, 2, 3)),
                DType.FLOAT64, new int[] {1, 2, 3}, 0);
        assertClose(new double[] {78}, sumToShapeOf(g, t(0.0)), DType.FLOAT64, new int[] {}, 0);
        OpException e = assertThrows(OpException.class, () -> sumToShapeOf(g, Ops.zeros(DType.FLOAT64, 4)));
        assertTrue(e.getMessage().startsWith("SumToShapeOf") && e.getMessage().contains("(4,)"), e.getMessage());
    }

    @Test
    void broadcastAndReshapeLikeUseRuntimeShapesInGraphs() {
        Graph g = new Graph();
        Tensor x, like, b, r, z;
        try (var s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(-1));
            like = g.placeholder("like", DType.FLOAT32, Shape.of(-1, -1));
            b = broadcastLike(x, like);
            r = reshapeLike(broadcastLike(x, like), Ops.transpose(like));
            z = Ops.zerosLike(like);
            assertEquals(Shape.of(-1, -1), b.shape());
        }
        List<Tensor> out = SerialExecutor.run(g, Map.of(g.outputOf(x), t(new float[] {1, 2, 3}), g.outputOf(like),
                Ops.zeros(DType.FLOAT32, 2, 3)), List.of(g.outputOf(b), g.outputOf(r), g.outputOf(z)), List.of());
        assertClose(new double[] {1, 2, 3, 1, 2, 3}, out.get(0), DType.FLOAT32, new int[] {2, 3}, 0);
        assertClose(new double[] {1, 2, 3, 1, 2, 3}, out.get(1), DType.FLOAT32, new int[] {3, 2}, 0);
        assertArrayEquals(new int[] {2, 3}, out.get(2).shape().dims());
        OpException e = assertThrows(OpException.class, () -> reshapeLike(t(new float[] {1, 2}),
                Ops.zeros(DType.FLOAT32, 3)));
        assertTrue(e.getMessage().contains("ReshapeLike") && e.getMessage().contains("2 elements"), e.getMessage());
    }

    @Test
    void adjointsScatterTheGradientBack() {
        Tensor x = Ops.zeros(DType.FLOAT64, 3, 4);
        // StridedSlice x[::2, 3:0:-2] picks (0,3) (0,1) (2,3) (2,1)
        Tensor ss = Ops.run(GradOps.STRIDED_SLICE_GRAD, Attrs.of("begin", new int[] {0, 3}, "end", new int[] {3, 0},
                "strides", new int[] {2, -2}), t(new double[][] {{1, 2}, {3, 4}}), x);
        assertClose(new double[] {0, 2, 0, 1, 0, 0, 0, 0, 0, 4, 0, 3}, ss, DType.FLOAT64, new int[] {3, 4}, 0);
        // Pad REFLECT [1, 2] by (1, 1): padded row = x1 x0 x1 x0 -> x0 gets 2 + 4, x1 gets 1 + 3
        Tensor pg = padGrad(t(new float[] {1, 2, 3, 4}), t(new float[] {0, 0}), new int[] {1, 1}, "REFLECT");
        assertClose(new double[] {6, 4}, pg, DType.FLOAT32, new int[] {2}, 0);
        Tensor pc = padGrad(t(new float[] {1, 2, 3, 4}), t(new float[] {0, 0}), new int[] {1, 1}, "CONSTANT");
        assertClose(new double[] {2, 3}, pc, DType.FLOAT32, new int[] {2}, 0);
        // Gather rows [2, 0, 2] of a [3, 2] tensor: row 2 receives two gradients
        Tensor gg = gatherGrad(t(new double[][] {{1, 2}, {3, 4}, {5, 6}}), t(new int[] {2, 0, 2}),
                Ops.zeros(DType.FLOAT64, 3, 2), 0, 0);
        assertClose(new double[] {3, 4, 0, 0, 6, 8}, gg, DType.FLOAT64, new int[] {3, 2}, 0);
        Tensor gn = Ops.run(GradOps.GATHER_ND_GRAD, Attrs.EMPTY, t(new double[] {1, 2, 3}),
                t(new long[][] {{0, 1}, {1, 0}, {0, 1}}), Ops.zeros(DType.FLOAT64, 2, 2));
        assertClose(new double[] {0, 4, 2, 0}, gn, DType.FLOAT64, new int[] {2, 2}, 0);
        Tensor tg = tileGrad(t(new double[][] {{1, 2, 3, 4}, {5, 6, 7, 8}}), Ops.zeros(DType.FLOAT64, 1, 2), 2, 2);
        assertClose(new double[] {1 + 3 + 5 + 7, 2 + 4 + 6 + 8}, tg, DType.FLOAT64, new int[] {1, 2}, 0);
        Tensor[] parts = Ops.runMulti(GradOps.CONCAT_GRAD, Attrs.of("axis", -1), t(new double[][] {{1, 2, 3},
                {4, 5, 6}}), Ops.zeros(DType.FLOAT64, 2, 1), Ops.zeros(DType.FLOAT64, 2, 2));
        assertClose(new double[] {1, 4}, parts[0], DType.FLOAT64, new int[] {2, 1}, 0);
        assertClose(new double[] {2, 3, 5, 6}, parts[1], DType.FLOAT64, new int[] {2, 2}, 0);
    }

    @Test
    void adjointShapeErrorsNameTheShapes() {
        OpException e = assertThrows(OpException.class, () -> gatherGrad(Ops.zeros(DType.FLOAT32, 2, 2),
                t(new int[] {0, 1, 2}), Ops.zeros(DType.FLOAT32, 3, 2), 0, 0));
        assertTrue(e.getMessage().startsWith("GatherGrad") && e.getMessage().contains("(2, 2)")
                && e.getMessage().contains("(3, 2)"), e.getMessage());
        e = assertThrows(OpException.class, () -> tileGrad(Ops.zeros(DType.FLOAT32, 3), Ops.zeros(DType.FLOAT32, 2),
                2));
        assertTrue(e.getMessage().startsWith("TileGrad") && e.getMessage().contains("gives (4,)"), e.getMessage());
        e = assertThrows(OpException.class, () -> Ops.runMulti(GradOps.CUSTOM_GRADIENT, Attrs.of("key", "k",
                "numInputs", 1), Ops.zeros(DType.FLOAT32, 1)));
        assertTrue(e.getMessage().contains("numInputs 1"), e.getMessage());
    }
}
