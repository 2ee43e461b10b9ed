package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.graph.Graph;
import org.nabla.runtime.Session;

/** Shape and DynamicReshape: shapes known only at run time, as in graphs with an unknown batch size. */
class DynamicShapeOpsTest {
    private static Tensor iota(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return Tensors.of(v, shape);
    }

    @Test
    void shapeOfEagerTensors() {
        assertArrayEquals(new int[] {2, 3, 4}, Ops.shape(iota(2, 3, 4)).toIntArray());
        Tensor s64 = Ops.shape(iota(0, 5), DType.INT64);
        assertEquals(DType.INT64, s64.dtype());
        assertArrayEquals(new long[] {0, 5}, s64.toLongArray());
        Tensor scalar = Ops.shape(Tensors.scalar(1f));
        assertEquals(Shape.of(0), scalar.shape());
        Tensor view = Ops.transpose(iota(2, 3), 1, 0);
        assertArrayEquals(new int[] {3, 2}, Ops.shape(view).toIntArray());
        OpException e = assertThrows(OpException.class, () -> Ops.shape(iota(2), DType.FLOAT32));
        assertTrue(e.getMessage().contains("dtype must be int32 or int64, got float32"), e.getMessage());
    }

    @Test
    void dynamicReshapeInfersAndCopiesDimensions() {
        Tensor x = iota(2, 3, 4);
        Tensor y = Ops.reshape(x, Tensors.of(new int[] {4, -1}, 2));
        assertEquals(Shape.of(4, 6), y.shape());
        assertArrayEquals(x.toFloatArray(), y.toFloatArray());
        Tensor z = Ops.dynamicReshape(x, Tensors.of(new long[] {0, -1}, 2), true);
        assertEquals(Shape.of(2, 12), z.shape());
        Tensor empty = Ops.dynamicReshape(iota(0, 3), Tensors.of(new long[] {3, 0}, 2), false);
        assertEquals(Shape.of(3, 0), empty.shape());
        // A transposed (non-contiguous) input is reshaped in its logical order.
        Tensor t = Ops.transpose(iota(2, 3), 1, 0);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, Ops.reshape(t, Tensors.of(new int[] {6}, 1)).toFloatArray());
    }

    @Test
    void dynamicReshapeErrors() {
        Tensor x = iota(2, 3);
        OpException e = assertThrows(OpException.class, () -> Ops.reshape(x, Tensors.of(new int[] {4, -1}, 2)));
        assertTrue(e.getMessage().contains("cannot reshape a tensor of shape (2, 3) (6 elements) into [4, -1]"),
                e.getMessage());
        e = assertThrows(OpException.class, () -> Ops.reshape(x, Tensors.of(new int[] {-1, -1}, 2)));
        assertTrue(e.getMessage().contains("only one dimension can be -1"), e.getMessage());
        e = assertThrows(OpException.class, () -> Ops.reshape(x, Tensors.of(new float[] {6}, 1)));
        assertTrue(e.getMessage().contains("shape must be a 1-D int32 or int64 tensor"), e.getMessage());
        e = assertThrows(OpException.class, () -> Ops.dynamicReshape(x, Tensors.of(new long[] {0, 0, 0}, 3), true));
        assertTrue(e.getMessage().contains("copies dimension 2 of an input of shape (2, 3)"), e.getMessage());
        e = assertThrows(OpException.class, () -> Ops.reshape(x, Tensors.of(new long[] {-3, -2}, 2)));
        assertTrue(e.getMessage().contains("bad dimension -3"), e.getMessage());
    }

    @Test
    void flattenWithAnUnknownBatchInAGraph() {
        // reshape(x, [shape(x)[0], -1]) for any batch size, the idiom of exported models.
        Graph g = new Graph();
        Tensor x, y;
        try (var scope = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3, 4));
            Tensor batch = Ops.slice(Ops.shape(x, DType.INT64), new int[] {0}, new int[] {1});
            y = Ops.reshape(x, Ops.concat(0, batch, g.constant("minus1", new long[] {-1})));
            assertEquals(Shape.of(-1, -1), y.shape());
        }
        try (Session s = new Session(g)) {
            for (int batch : new int[] {1, 5}) {
                Tensor in = iota(batch, 3, 4);
                Tensor out = s.run(List.of(y), Map.of(x, in)).get(0);
                assertEquals(Shape.of(batch, 12), out.shape());
                assertArrayEquals(in.toFloatArray(), out.toFloatArray());
            }
        }
    }

    @Test
    void shapeLengthMustBeKnownWhenBuilding() {
        Graph g = new Graph();
        try (var scope = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(6));
            Tensor shape = g.placeholder("s", DType.INT64, Shape.of(-1));
            OpException e = assertThrows(OpException.class, () -> Ops.reshape(x, shape));
            assertTrue(e.getMessage().contains("the length of shape must be known"), e.getMessage());
        }
    }
}
