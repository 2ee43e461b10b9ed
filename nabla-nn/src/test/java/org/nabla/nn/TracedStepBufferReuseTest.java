package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * A traced training step (forward, gradients, Adam) whose executor recycles result buffers by liveness gives the
 * losses and weights of one whose results are all fresh memory, bit for bit.
 */
class TracedStepBufferReuseTest {
    @Test
    void mlpAndCnnStepsGiveTheBitsOfFreshMemory() {
        for (String model : new String[] {"mlp", "cnn"}) {
            List<int[]> fresh = train(model, false);
            List<int[]> recycled = train(model, true);
            for (int i = 0; i < fresh.size(); i++) assertArrayEquals(fresh.get(i), recycled.get(i), model + " " + i);
        }
    }

    /** The bits of each step's loss, then of every weight after the last step. */
    private static List<int[]> train(String name, boolean recycle) {
        String old = System.getProperty("nabla.graphBufferReuse");
        System.setProperty("nabla.graphBufferReuse", Boolean.toString(recycle));
        try {
            Sequential m = name.equals("mlp") ? ReferenceModels.mlp(7) : ReferenceModels.cnn(7);
            int batch = 16;
            SplittableRandom r = new SplittableRandom(3);
            List<int[]> out = new ArrayList<>();
            for (int step = 0; step < 4; step++) {
                float[] x = new float[batch * 28 * 28];
                for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
                int[] y = new int[batch];
                for (int i = 0; i < batch; i++) y[i] = r.nextInt(10);
                double[] loss = m.trainOnBatch(Tensor.wrap(DType.FLOAT32, Shape.of(batch, 28, 28, 1), x),
                        Tensor.wrap(DType.INT32, Shape.of(batch), y));
                out.add(new int[] {Float.floatToRawIntBits((float) loss[0])});
            }
            for (Tensor w : m.getWeights()) {
                float[] f = w.toFloatArray();
                int[] b = new int[f.length];
                for (int i = 0; i < f.length; i++) b[i] = Float.floatToRawIntBits(f[i]);
                out.add(b);
            }
            return out;
        } finally {
            if (old == null) System.clearProperty("nabla.graphBufferReuse");
            else System.setProperty("nabla.graphBufferReuse", old);
        }
    }
}
