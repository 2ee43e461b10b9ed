package org.nabla.peers.tfjava;

import java.util.SplittableRandom;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * common.py's data(): a few seeded batches of Fashion-MNIST-shaped data, made once and fed in turn, as tensors:
 * images [batch, 28, 28, 1] float32 uniform in [0, 1) (NHWC, as Keras) and labels [batch] int64 in 0..9.
 * The values differ from NumPy's generator; shapes and dtypes are what the comparison needs.
 */
final class SeededBatches implements AutoCloseable {
    static final int SIDE = 28;
    static final int CLASSES = 10;
    private static final int VARIANTS = 4;

    private final TFloat32[] images = new TFloat32[VARIANTS];
    private final TInt64[] labels = new TInt64[VARIANTS];

    SeededBatches(int batch, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int v = 0; v < VARIANTS; v++) {
            float[] x = new float[batch * SIDE * SIDE];
            for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
            long[] y = new long[batch];
            for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(CLASSES);
            images[v] = TFloat32.tensorOf(Shape.of(batch, SIDE, SIDE, 1), DataBuffers.of(x, true, false));
            labels[v] = TInt64.tensorOf(Shape.of(batch), DataBuffers.of(y, true, false));
        }
    }

    TFloat32 images(int call) {
        return images[call % VARIANTS];
    }

    TInt64 labels(int call) {
        return labels[call % VARIANTS];
    }

    @Override
    public void close() {
        for (int v = 0; v < VARIANTS; v++) {
            images[v].close();
            labels[v].close();
        }
    }
}
