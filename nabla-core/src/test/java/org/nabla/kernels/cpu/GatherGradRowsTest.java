package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.autodiff.GradientTape;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradOps;

/** GatherGrad's direct row scatter (an embedding's gradient) against a reference loop, bit for bit. */
class GatherGradRowsTest {
    private static final Random R = new Random(11);

    /** Rows {@code ids} of a [rows, width] table's gradient: grad rows added in order, as the reference adds them. */
    private static float[] reference(float[] g, int[] ids, int rows, int width) {
        float[] z = new float[rows * width];
        for (int k = 0; k < ids.length; k++) for (int j = 0; j < width; j++) z[ids[k] * width + j] += g[k * width + j];
        return z;
    }

    private static float[] gaussians(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) R.nextGaussian();
        return a;
    }

    @Test
    void repeatedIdsAddUpInOrderForEveryWidth() {
        for (int width : new int[] {1, 7, 16, 37, 64}) {
            int rows = 9;
            int[] ids = {3, 0, 3, 8, 3, 1, 0, 5, 5, 3, 2, 7};   // [3, 4] below: a batch of sequences
            float[] g = gaussians(ids.length * width);
            Tensor out = Ops.run(GradOps.GATHER_GRAD, Attrs.of("axis", 0, "batchDims", 0),
                    Tensors.of(g, 3, 4, width), Tensor.wrap(DType.INT32, Shape.of(3, 4), ids),
                    Tensors.of(new float[rows * width], rows, width));
            assertArrayEquals(reference(g, ids, rows, width), out.toFloatArray(), "width " + width);
        }
    }

    @Test
    void int64IdsAndFloat64() {
        int rows = 5, width = 19;
        long[] ids = {4, 4, 0, 2};
        double[] g = new double[ids.length * width];
        for (int i = 0; i < g.length; i++) g[i] = R.nextGaussian();
        double[] want = new double[rows * width];
        for (int k = 0; k < ids.length; k++) for (int j = 0; j < width; j++) want[(int) ids[k] * width + j] += g[k * width + j];
        Tensor out = Ops.run(GradOps.GATHER_GRAD, Attrs.of("axis", 0, "batchDims", 0), Tensors.of(g, 4, width),
                Tensor.wrap(DType.INT64, Shape.of(4), ids), Tensors.of(new double[rows * width], rows, width));
        assertArrayEquals(want, out.toDoubleArray());
    }

    @Test
    void anEmbeddingsTapeGradientIsTheScatter() {
        int rows = 6, width = 20;
        Tensor table = Tensors.of(gaussians(rows * width), rows, width);
        int[] ids = {1, 5, 1, 0, 1, 5};
        float[] up = gaussians(ids.length * width);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(table);
            Tensor y = Ops.gather(table, Tensor.wrap(DType.INT32, Shape.of(2, 3), ids));
            Tensor loss = Ops.sum(Ops.mul(y, Tensors.of(up, 2, 3, width)));
            assertArrayEquals(reference(up, ids, rows, width), tape.gradient(loss, table).toFloatArray());
        }
    }

    @Test
    void otherAxesStillTakeTheGeneralPath() {
        int[] ids = {2, 0, 2};
        float[] g = gaussians(4 * 3);
        Tensor out = Ops.run(GradOps.GATHER_GRAD, Attrs.of("axis", 1, "batchDims", 0), Tensors.of(g, 4, 3),
                Tensor.wrap(DType.INT32, Shape.of(3), ids), Tensors.of(new float[4 * 5], 4, 5));
        float[] want = new float[4 * 5];
        for (int r = 0; r < 4; r++) for (int k = 0; k < 3; k++) want[r * 5 + ids[k]] += g[r * 3 + k];
        assertArrayEquals(want, out.toFloatArray());
    }
}
