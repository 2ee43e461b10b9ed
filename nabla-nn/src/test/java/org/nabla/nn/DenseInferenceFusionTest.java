package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.ResourceManager;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.TracedFunction;
import org.nabla.Variable;

/**
 * The reference mlp's traced inference, whose dense layers graph optimization turns into FusedMatMul (bias and ReLU
 * in the GEMM's epilogue, both layers then one FusedMatMulPair), gives the bits of eager inference (MatMul, then
 * BiasRelu / BiasAdd) at batch sizes that take every GEMM path: one row, a few rows, B read in place, B packed.
 */
class DenseInferenceFusionTest {
    @Test
    void tracedMlpInferenceGivesTheEagerBits() {
        Sequential m = ReferenceModels.mlp(3);
        TracedFunction f = TracedFunction.of("infer", in -> new Tensor[] {m.call(in[0])});
        SplittableRandom r = new SplittableRandom(9);
        for (int batch : new int[] {1, 5, 64, 300, 1000}) {
            float[] x = new float[batch * 784];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
            Tensor input = Tensor.wrap(DType.FLOAT32, Shape.of(batch, 28, 28, 1), x);
            float[] eager = m.call(input).toFloatArray();
            float[] traced = f.call(input)[0].toFloatArray();
            assertArrayEquals(eager, traced, "batch " + batch);
        }
    }

    /**
     * At batch 300 the weights are packed once and kept (PackedWeights): a training step that updates them in place,
     * and an assignment of new values, must both reach the next traced call.
     */
    @Test
    void keptPackedWeightsFollowInPlaceUpdatesAndAssignments() {
        Sequential m = ReferenceModels.mlp(4);
        TracedFunction f = TracedFunction.of("infer", in -> new Tensor[] {m.call(in[0])});
        SplittableRandom r = new SplittableRandom(10);
        int batch = 300;
        float[] x = new float[batch * 784];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        Tensor input = Tensor.wrap(DType.FLOAT32, Shape.of(batch, 28, 28, 1), x);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = r.nextInt(10);
        Tensor y = Tensor.wrap(DType.INT32, Shape.of(batch), labels);
        for (int round = 0; round < 2; round++) {
            m.trainOnBatch(input, y); // copies weights an eager read shared; private from then on
            float[] before = f.call(input)[0].toFloatArray();
            for (int call = 0; call < 2; call++) assertArrayEquals(before, f.call(input)[0].toFloatArray());
            long inPlace = ResourceManager.eager().inPlaceUpdates();
            m.trainOnBatch(input, y);
            assertTrue(ResourceManager.eager().inPlaceUpdates() > inPlace, "the step updated weights in place");
            float[] after = f.call(input)[0].toFloatArray();
            assertFalse(java.util.Arrays.equals(before, after), "the step changed the outputs");
            assertArrayEquals(m.call(input).toFloatArray(), after, "round " + round + " after an in-place step");
        }
        for (int call = 0; call < 3; call++) f.call(input);
        for (Variable v : m.weights()) {
            float[] w = v.read().toFloatArray();
            for (int i = 0; i < w.length; i++) w[i] = -w[i];
            v.assign(Tensor.wrap(DType.FLOAT32, v.shape(), w));
        }
        assertArrayEquals(m.call(input).toFloatArray(), f.call(input)[0].toFloatArray(), "after assignments");
    }
}
