package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradOps;

/**
 * StridedSliceGrad's direct scatter against a reference built from the forward slice of an index tensor (each
 * element holding its own flat position, as float64: exact below 2^53), for every mask kind, and one case by hand.
 */
class SliceGradScatterTest {
    private static final Random R = new Random(5);

    private static Attrs attrs(int[] begin, int[] end, int[] strides, int... masks) {
        int[] m = java.util.Arrays.copyOf(masks, 5);
        return Attrs.of("begin", begin, "end", end, "strides", strides, "beginMask", m[0], "endMask", m[1],
                "ellipsisMask", m[2], "newAxisMask", m[3], "shrinkAxisMask", m[4]);
    }

    /** Checks the float32 and float64 gradients of one slice of an input shaped {@code dims}. */
    private static void check(int[] dims, Attrs a) {
        Shape shape = Shape.of(dims);
        double[] iota = new double[shape.intSize()];
        for (int i = 0; i < iota.length; i++) iota[i] = i;
        Tensor map = Ops.run(org.nabla.ops.ArrayOps.STRIDED_SLICE, a, Tensors.of(iota, dims));
        double[] at = map.toDoubleArray();
        double[] g = new double[at.length];
        float[] gf = new float[at.length];
        for (int k = 0; k < g.length; k++) {
            gf[k] = (float) R.nextGaussian();
            g[k] = gf[k];
        }
        float[] want = new float[iota.length];
        double[] wantD = new double[iota.length];
        for (int k = 0; k < at.length; k++) {
            want[(int) at[k]] += gf[k];
            wantD[(int) at[k]] += g[k];
        }
        int[] outDims = map.shape().dims();
        Tensor got = Ops.run(GradOps.STRIDED_SLICE_GRAD, a, Tensors.of(gf, outDims), Tensors.of(new float[iota.length],
                dims));
        assertEquals(shape, got.shape());
        assertArrayEquals(want, got.toFloatArray(), a.toString());
        Tensor gotD = Ops.run(GradOps.STRIDED_SLICE_GRAD, a, Tensors.of(g, outDims), Tensors.of(iota, dims));
        assertArrayEquals(wantD, gotD.toDoubleArray(), a.toString());
    }

    @Test
    void aRecurrentLayersLastTimestepByHand() {
        // x [2, 3, 2], x[:, 2:3, :]: the gradient lands at timestep 2 of each example, zeros elsewhere
        Tensor got = Ops.run(GradOps.STRIDED_SLICE_GRAD, attrs(new int[] {0, 2, 0}, new int[] {0, 3, 0},
                new int[] {1, 1, 1}, 0b101, 0b101), Tensors.of(new float[] {1, 2, 3, 4}, 2, 1, 2),
                Tensors.of(new float[12], 2, 3, 2));
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 3, 4}, got.toFloatArray());
    }

    @Test
    void everyMaskKindMatchesTheForwardSlicesMap() {
        int[] d = {4, 5, 6};
        check(d, attrs(new int[] {0, 4, 0}, new int[] {0, 5, 0}, new int[] {1, 1, 1}, 0b101, 0b101));
        check(d, attrs(new int[] {1, 0, 1}, new int[] {3, 5, 6}, new int[] {1, 2, 3}));
        check(d, attrs(new int[] {3, -1, 5}, new int[] {0, 0, 0}, new int[] {-1, -2, -2}, 0, 0b110));   // negative
        check(d, attrs(new int[] {2, 1}, new int[] {3, 4}, new int[] {1, 1}, 0, 0, 0, 0, 0b01));        // shrink
        check(d, attrs(new int[] {0, 1}, new int[] {0, 3}, new int[] {1, 1}, 0, 0, 0b01));              // ellipsis
        check(d, attrs(new int[] {0, 1, 0}, new int[] {0, 4, 2}, new int[] {1, 1, 1}, 0, 0, 0, 0b001)); // new axis
        check(d, attrs(new int[] {1, 2, 3}, new int[] {1, 2, 3}, new int[] {1, 1, 1}, 0, 0, 0, 0, 0b111)); // scalar
        check(d, attrs(new int[] {3, 0, 0}, new int[] {1, 5, 6}, new int[] {1, 1, 1}));                  // empty
        check(new int[] {7}, attrs(new int[] {-2}, new int[] {0}, new int[] {-3}));
    }
}
