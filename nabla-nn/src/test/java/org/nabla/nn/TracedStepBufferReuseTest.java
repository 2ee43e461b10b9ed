package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * A traced training step (forward, gradients, Adam) whose executor recycles result buffers by liveness, and so
 * updates weights and optimizer slots in place, gives the losses and weights of one whose results are all fresh
 * memory (every update copied), bit for bit; weights a user read keep their values while training goes on.
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

    @Test
    void stepsUpdateInPlaceAndWeightsAUserHoldsNeverChange() {
        Sequential m = ReferenceModels.mlp(11);
        org.nabla.ResourceManager rm = org.nabla.ResourceManager.eager();
        SplittableRandom r = new SplittableRandom(5);
        List<Tensor> held = null;
        List<int[]> heldBits = new ArrayList<>();
        long inPlace0 = 0;
        long copied0 = 0;
        for (int step = 0; step < 8; step++) {
            if (step == 3) {
                inPlace0 = rm.inPlaceUpdates();
                copied0 = rm.copiedUpdates();
            }
            if (step == 5) { // a user reads the weights mid-training and keeps them
                held = m.getWeights();
                for (Tensor w : held) heldBits.add(bits(w));
            }
            float[] x = new float[8 * 28 * 28];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
            int[] y = new int[8];
            for (int i = 0; i < 8; i++) y[i] = r.nextInt(10);
            m.trainOnBatch(Tensor.wrap(DType.FLOAT32, Shape.of(8, 28, 28, 1), x), Tensor.wrap(DType.INT32,
                    Shape.of(8), y));
        }
        int updatesPerStep = 3 * m.getWeights().size();
        long inPlace = rm.inPlaceUpdates() - inPlace0;
        long copied = rm.copiedUpdates() - copied0;
        // steps 3..7: all in place except the one after the user's read, whose weights (not slots) were copied
        assertTrue(inPlace >= 5L * updatesPerStep - m.getWeights().size(), "in place " + inPlace + ", copied "
                + copied + ", per step " + updatesPerStep);
        for (int i = 0; i < held.size(); i++) assertArrayEquals(heldBits.get(i), bits(held.get(i)), "weight " + i);
    }

    private static int[] bits(Tensor t) {
        float[] f = t.toFloatArray();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) b[i] = Float.floatToRawIntBits(f[i]);
        return b;
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
