package org.nabla.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;

/** Reshape and transpose: where every element goes (by index arithmetic done here) and bitwise round trips. */
class ShapePropertiesTest {
    @Test
    void transposeMovesEveryElementAndItsInverseRestoresTheTensor() {
        RandomTensors.forAll("transpose", 43, 300, rnd -> transpose(RandomTensors.shape(rnd, 5, 0, 4), rnd.nextLong()));
    }

    private static void transpose(int[] shape, long seed) {
        Random rnd = new Random(seed);
        DType dtype = DType.values()[rnd.nextInt(DType.values().length)];
        Tensor x = RandomTensors.random(dtype, shape, rnd.nextLong());
        int[] perm = permutation(shape.length, rnd);
        Tensor t = Ops.transpose(x, perm);

        int[] outShape = new int[shape.length];
        for (int i = 0; i < perm.length; i++) outShape[i] = shape[perm[i]];
        assertEquals(Shape.of(outShape), t.shape());
        long[] xb = RandomTensors.bits(x);
        long[] tb = RandomTensors.bits(t);
        int size = Math.toIntExact(x.shape().size());
        int width = size == 0 ? 1 : xb.length / size;   // longs per element: 2 for complex (re, im)
        int[] xStrides = RandomTensors.strides(shape);
        for (int flat = 0; flat < size; flat++) {
            int[] idx = RandomTensors.index(flat, outShape);
            int source = 0;
            for (int i = 0; i < perm.length; i++) source += idx[i] * xStrides[perm[i]];
            for (int k = 0; k < width; k++) {
                assertEquals(xb[source * width + k], tb[flat * width + k], "element " + flat + " of transpose "
                        + Shape.of(shape) + " by " + java.util.Arrays.toString(perm) + " (" + dtype + ")");
            }
        }

        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inverse[perm[i]] = i;
        Tensor back = Ops.transpose(t, inverse);
        assertEquals(x.shape(), back.shape());
        assertArrayEquals(xb, RandomTensors.bits(back));
    }

    @Test
    void reshapeKeepsRowMajorOrderAndRoundTrips() {
        RandomTensors.forAll("reshape", 47, 300, rnd -> reshape(RandomTensors.shape(rnd, 5, 0, 4), rnd.nextLong()));
    }

    private static void reshape(int[] shape, long seed) {
        Random rnd = new Random(seed);
        DType dtype = DType.values()[rnd.nextInt(DType.values().length)];
        Tensor x = RandomTensors.random(dtype, shape, rnd.nextLong());
        long[] xb = RandomTensors.bits(x);
        int n = Math.toIntExact(x.shape().size());   // elements (bits has two longs per complex element)

        Tensor flat = Ops.reshape(x, n);
        assertEquals(Shape.of(n), flat.shape());
        assertArrayEquals(xb, RandomTensors.bits(flat));

        int[] reversed = new int[shape.length];
        for (int i = 0; i < shape.length; i++) reversed[i] = shape[shape.length - 1 - i];
        Tensor other = Ops.reshape(x, reversed);
        assertArrayEquals(xb, RandomTensors.bits(other), "reshape keeps the row-major order");

        Tensor back = Ops.reshape(Ops.reshape(other, n), shape);
        assertEquals(x.shape(), back.shape());
        assertArrayEquals(xb, RandomTensors.bits(back));

        // A strided view (a transpose) reshaped reads its elements in the view's row-major order.
        if (shape.length >= 2) {
            int[] perm = permutation(shape.length, rnd);
            Tensor t = Ops.transpose(x, perm);
            assertArrayEquals(RandomTensors.bits(t), RandomTensors.bits(Ops.reshape(t, n)));
        }
    }

    private static int[] permutation(int n, Random rnd) {
        List<Integer> p = new ArrayList<>();
        for (int i = 0; i < n; i++) p.add(i);
        Collections.shuffle(p, rnd);
        return p.stream().mapToInt(Integer::intValue).toArray();
    }
}
