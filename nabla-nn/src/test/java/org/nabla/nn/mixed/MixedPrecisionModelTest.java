package org.nabla.nn.mixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.DTypePolicy;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.BatchNormalization;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.LossScaleOptimizer;
import org.nabla.nn.optimizers.SGD;

/** Dtype policies on layers and models: per layer, global, float16 data, normalization in float32, eager fit. */
class MixedPrecisionModelTest {
    private static Tensor data(long seed, int... shape) {
        return Ops.randomNormal(shape, DType.FLOAT32, 0, 1, seed);
    }

    @Test
    void layersFollowTheirPolicy() {
        Dense mixed = (Dense) new Dense(3).dtypePolicy(DTypePolicy.MIXED_BFLOAT16);
        Dense plain = new Dense(3);
        assertEquals(DTypePolicy.FLOAT32, plain.dtypePolicy());
        Tensor x = data(1, 2, 4);
        assertEquals(DType.BFLOAT16, mixed.call(x).dtype());
        assertEquals(DType.FLOAT32, mixed.kernel().dtype(), "weights stay float32");
        assertEquals(DType.FLOAT32, plain.call(x).dtype());
        // a float32 layer after a mixed one takes its 16-bit output as is (no policy cast): Keras would too
        BatchNormalization bn = (BatchNormalization) new BatchNormalization().dtypePolicy(DTypePolicy.MIXED_FLOAT16);
        Tensor y = bn.call(new Tensor[] {Ops.mul(x, 100f)}, CallContext.training(Ops.constant(1L), 1));
        assertEquals(DType.FLOAT16, y.dtype(), "normalization computes in float32 and returns the compute dtype");
        assertEquals(0, Ops.mean(Ops.cast(y, DType.FLOAT32)).floatValue(), 1e-2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dense(2).dtype(DType.FLOAT16));
        assertTrue(e.getMessage().contains("dtypePolicy(DTypePolicy.MIXED_FLOAT16)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DTypePolicy.of("mixed_float8"));
        assertEquals(DTypePolicy.MIXED_FLOAT16, DTypePolicy.of("mixed_float16"));
    }

    @Test
    void eagerFitWithLossScalingAcceptsFloat16Data() {
        DTypePolicy.setGlobal(DTypePolicy.MIXED_FLOAT16);
        Sequential m;
        try {
            m = new Sequential(new Dense(8, "relu"), new Dense(2));
        } finally {
            DTypePolicy.setGlobal(DTypePolicy.FLOAT32);
        }
        m.input(4);
        // a scale so large that the float16 backward pass overflows: steps are skipped and the scale halved until
        // the gradients are finite
        LossScaleOptimizer opt = new LossScaleOptimizer(new SGD(0.1), 0x1p40, 1000);
        m.compile(opt, Losses.sparseCategoricalCrossentropy(true)).runEagerly(true);
        Tensor x = Ops.cast(data(2, 16, 4), DType.FLOAT16);
        Tensor y = Ops.cast(Ops.greater(Ops.sum(Ops.cast(x, DType.FLOAT32), 1), 0f), DType.INT32);
        double first = m.trainOnBatch(x, y)[0];
        for (int i = 0; i < 60; i++) m.trainOnBatch(x, y);
        double last = m.trainOnBatch(x, y)[0];
        assertTrue(last < first, "loss " + first + " -> " + last);
        int skipped = 62 - (int) opt.step();
        assertTrue(skipped > 0 && skipped < 40, skipped + " steps skipped");
        assertEquals(0x1p40 / Math.pow(2, skipped), opt.lossScale(), "halved once per skipped step");
    }
}
