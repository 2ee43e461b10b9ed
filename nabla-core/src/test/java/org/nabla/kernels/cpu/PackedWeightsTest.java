package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.ResourceManager;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * {@link PackedWeights}: a weight's packed copy gives the bits of packing per call on every path that packs B (one
 * K block for a narrow B, several K blocks, several column panels, transposed B, the narrow kernel), and an in-place
 * update of the weight (or a new value) is seen by the next product.
 */
class PackedWeightsTest {
    private static final int[][] SIZES = {
        {1000, 128, 784}, {300, 128, 784}, {257, 33, 1100}, {300, 1100, 40}, {400, 45, 70}, // blocked, B packed
        {1000, 10, 128}, {300, 16, 300}, {50, 3, 20},                                       // narrow kernel
        {40, 64, 50},                                                                       // B read in place
    };

    @AfterEach
    void clear() { PackedWeights.clear(); }

    @Test
    void packedOnceGivesTheBitsOfPackingPerCall() {
        Random rnd = new Random(5);
        for (int[] s : SIZES) {
            for (boolean tb : new boolean[] {false, true}) {
                int m = s[0], n = s[1], k = s[2];
                float[] a = random(rnd, m * k), w = random(rnd, k * n), bias = random(rnd, n);
                Tensor weights = Tensor.wrap(DType.FLOAT32, tb ? Shape.of(n, k) : Shape.of(k, n), w);
                int ldb = tb ? k : n;
                float[] expected = new float[m * n];
                Gemm.sgemmBias(false, tb, m, n, k, a, 0, k, w, 0, ldb, bias, 0, true, expected, 0, n);
                for (int call = 0; call < 3; call++) { // seen, packed, reused
                    float[] c = new float[m * n];
                    Gemm.sgemmBias(false, tb, m, n, k, a, 0, k, w, 0, ldb, bias, 0, true, c, 0, n, weights);
                    assertArrayEquals(expected, c, "m=" + m + " n=" + n + " k=" + k + " tb=" + tb + " call " + call);
                }
            }
        }
    }

    @Test
    void aWeightIsPackedTheSecondTimeItIsSeenAndDroppedAfterAnInPlaceWrite() {
        Tensor w = Tensor.wrap(DType.FLOAT32, Shape.of(2, 2), new float[] {1, 2, 3, 4});
        PackedWeights.Layout layout = new PackedWeights.Layout(1, false, 2, 2);
        float[] packed = {7};
        assertNull(PackedWeights.get(w, layout, () -> packed));
        assertSame(packed, PackedWeights.get(w, layout, () -> packed));
        assertSame(packed, PackedWeights.get(w, layout, () -> new float[1]));
        assertNull(PackedWeights.get(w, new PackedWeights.Layout(1, true, 2, 2), () -> packed), "another layout");
        bumpInPlaceEpoch();
        assertNull(PackedWeights.get(w, layout, () -> packed), "stale after an in-place write");
        assertNotNull(PackedWeights.get(w, layout, () -> packed));
    }

    @Test
    void theNextProductSeesAnInPlaceUpdateOfTheWeight() {
        Random rnd = new Random(6);
        int m = 600, n = 128, k = 784;
        float[] a = random(rnd, m * k), bias = new float[n];
        try (ResourceManager rm = new ResourceManager()) {
            rm.assign("w", Tensor.wrap(DType.FLOAT32, Shape.of(k, n), random(rnd, k * n)));
            // The first update copies (an assigned value is shared); later ones write that private copy in place.
            rm.writeInPlace(List.of("w"), (v, writable) -> new Tensor[] {Tensor.wrap(DType.FLOAT32, Shape.of(k, n),
                    v[0].toFloatArray())});
            for (int step = 0; step < 3; step++) {
                Tensor w = rm.borrow("w");
                float[] wd = (float[]) w.data();
                float[] expected = new float[m * n];
                Gemm.sgemmBias(false, false, m, n, k, a, 0, k, wd, 0, n, bias, 0, false, expected, 0, n);
                for (int call = 0; call < 3; call++) {
                    float[] c = new float[m * n];
                    Gemm.sgemmBias(false, false, m, n, k, a, 0, k, wd, 0, n, bias, 0, false, c, 0, n, w);
                    assertArrayEquals(expected, c, "step " + step + " call " + call);
                }
                rm.giveBack("w", w, 1);
                Tensor[] next = rm.writeInPlace(List.of("w"), (v, writable) -> {
                    float[] d = (float[]) v[0].data();
                    for (int i = 0; i < d.length; i++) d[i] = d[i] * 0.5f + 0.25f;
                    return v;
                });
                assertSame(w, next[0], "updated in place");
            }
        }
    }

    /** An in-place write somewhere in the process (another manager's variable). */
    private static void bumpInPlaceEpoch() {
        try (ResourceManager rm = new ResourceManager()) {
            rm.assign("v", Tensor.wrap(DType.FLOAT32, Shape.of(1), new float[] {1}));
            rm.writeInPlace(List.of("v"), (v, writable) -> new Tensor[] {Tensor.wrap(DType.FLOAT32, Shape.of(1),
                    new float[] {2})});
            rm.writeInPlace(List.of("v"), (v, writable) -> v);
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextFloat() - 0.5f;
        return x;
    }
}
