package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;
import static org.nabla.TensorAssert.assertExact;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

class AddTest {
    @Test
    void addsHandWorkedMatrices() {
        Tensor a = Tensors.of(new float[][] {{1, 2}, {3, 4}});
        Tensor b = Tensors.of(new float[][] {{10, 20}, {30, 40}});
        assertClose(new double[] {11, 22, 33, 44}, a.add(b), DType.FLOAT32, new int[] {2, 2}, 0);
    }

    @Test
    void broadcastsRowsColumnsAndScalars() {
        Tensor col = Tensors.of(new double[][] {{1}, {2}, {3}});
        Tensor row = Tensors.of(new double[] {10, 20});
        assertClose(new double[] {11, 21, 12, 22, 13, 23}, col.add(row), DType.FLOAT64, new int[] {3, 2}, 0);
        assertClose(new double[] {6, 7, 8}, Ops.add(Tensors.of(new double[] {1, 2, 3}), 5), DType.FLOAT64,
                new int[] {3}, 0);
        assertExact(new long[] {3}, Ops.add(Tensors.scalar(1), Tensors.scalar(2)), DType.INT32);
    }

    @Test
    void matchesFloat64ReferenceOnLargeBroadcastAcrossThreads() {
        Random rnd = new Random(1);
        int n = 300, m = 257;
        float[] x = new float[n * m];
        float[] y = new float[m];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat() - 0.5f;
        for (int i = 0; i < m; i++) y[i] = rnd.nextFloat();
        double[] expected = new double[n * m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) expected[i * m + j] = (double) x[i * m + j] + y[j];
        Tensor out = Tensors.of(x, n, m).add(Tensors.of(y, 1, m));
        assertClose(expected, out, DType.FLOAT32, new int[] {n, m}, 1e-6);
        Tensor same = Tensors.of(x, n, m).add(Tensors.of(x, n, m));
        double[] twice = new double[x.length];
        for (int i = 0; i < x.length; i++) twice[i] = 2.0 * x[i];
        assertClose(twice, same, DType.FLOAT32, new int[] {n, m}, 1e-6);
    }

    @Test
    void handlesEmptyAndNonContiguousInputs() {
        Tensor empty = Tensors.of(new float[0], 0, 3);
        assertEquals(Shape.of(0, 3), empty.add(Tensors.of(new float[] {1, 2, 3})).shape());
        Tensor m = Tensors.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = m.transpose(); // [[1 4] [2 5] [3 6]], a strided view
        assertExact(new long[] {2, 8, 4, 10, 6, 12}, t.add(t), DType.INT32, 3, 2);
    }

    @Test
    void rejectsMismatchedShapesAndDtypesNamingTheOp() {
        Tensor a = Tensors.of(new float[] {1, 2, 3});
        Tensor b = Tensors.of(new float[] {1, 2});
        OpException e = assertThrows(OpException.class, () -> a.add(b));
        assertTrue(e.getMessage().startsWith("Add: shapes (3,) and (2,) cannot be broadcast"), e.getMessage());
        OpException d = assertThrows(OpException.class, () -> a.add(Tensors.of(new int[] {1, 2, 3})));
        assertTrue(d.getMessage().contains("Add") && d.getMessage().contains("float32")
                && d.getMessage().contains("int32"), d.getMessage());
    }
}
