package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.TracedFunction;

/**
 * The reference mlp's traced inference, whose dense layers graph optimization turns into FusedMatMul (bias and ReLU
 * in the GEMM's epilogue), gives the bits of eager inference (MatMul, then BiasRelu / BiasAdd) at batch sizes that
 * take every GEMM path: one row, a few rows, B read in place, B packed.
 */
class DenseInferenceFusionTest {
    @Test
    void tracedMlpInferenceGivesTheEagerBits() {
        Sequential m = ReferenceModels.mlp(3);
        TracedFunction f = TracedFunction.of("infer", in -> new Tensor[] {m.call(in[0])});
        SplittableRandom r = new SplittableRandom(9);
        for (int batch : new int[] {1, 5, 64, 300}) {
            float[] x = new float[batch * 784];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
            Tensor input = Tensor.wrap(DType.FLOAT32, Shape.of(batch, 28, 28, 1), x);
            float[] eager = m.call(input).toFloatArray();
            float[] traced = f.call(input)[0].toFloatArray();
            assertArrayEquals(eager, traced, "batch " + batch);
        }
    }
}
