package org.nabla.nn.mixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.data.datasets.DatasetNotFoundException;
import org.nabla.data.datasets.LabeledImages;
import org.nabla.data.datasets.Mnist;
import org.nabla.nn.DTypePolicy;
import org.nabla.nn.FitOptions;
import org.nabla.nn.Layer;
import org.nabla.nn.ReferenceModels;
import org.nabla.nn.Sequential;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.Adam;
import org.nabla.nn.optimizers.LossScaleOptimizer;

/**
 * The reference mlp trained on the 10,000 MNIST digits (8,000 train, 2,000 test) in float32, under mixed_float16 with
 * dynamic loss scaling and under mixed_bfloat16, with the same seeds: the mixed runs reach the float32 test accuracy
 * within one point. Skipped when the digits are not cached (scripts/setup-datasets.sh).
 */
class MixedPrecisionTrainingTest {
    private static LabeledImages digits;

    @BeforeAll
    static void load() throws IOException {
        try {
            digits = Mnist.load();
        } catch (DatasetNotFoundException e) {
            assumeTrue(false, "skipped: MNIST is not cached (run scripts/setup-datasets.sh): " + e.getMessage());
        }
    }

    private static double testAccuracy(DTypePolicy policy, boolean lossScaling) {
        DTypePolicy.setGlobal(policy);
        try {
            Sequential m = ReferenceModels.mlp(42);
            for (Layer l : m.layers()) assertEquals(policy, l.dtypePolicy(), l.name());
            Adam adam = new Adam(1e-3);
            m.compile(lossScaling ? new LossScaleOptimizer(adam) : adam, Losses.sparseCategoricalCrossentropy(true),
                    "accuracy");
            Tensor x = LabeledImages.toFloat(digits.trainImages());
            m.fit(x, digits.trainLabels(), FitOptions.epochs(2).batchSize(32).seed(7).verbose(0));
            Tensor logits = m.call(LabeledImages.toFloat(digits.testImages()));
            assertEquals(policy.computeDType(), logits.dtype(), "the model computes in " + policy.computeDType());
            assertEquals(DType.FLOAT32, m.trainableWeights().getFirst().dtype(), "weights stay float32");
            return m.evaluate(LabeledImages.toFloat(digits.testImages()), digits.testLabels()).get("accuracy");
        } finally {
            DTypePolicy.setGlobal(DTypePolicy.FLOAT32);
        }
    }

    @Test
    void mixedPoliciesReachTheFloat32Accuracy() {
        double f32 = testAccuracy(DTypePolicy.FLOAT32, false);
        double f16 = testAccuracy(DTypePolicy.MIXED_FLOAT16, true);
        double bf16 = testAccuracy(DTypePolicy.MIXED_BFLOAT16, false);
        System.out.printf("mlp test accuracy after 2 epochs: float32 %.4f, mixed_float16 %.4f, mixed_bfloat16 %.4f%n",
                f32, f16, bf16);
        assertTrue(f32 > 0.9, "float32 accuracy " + f32);
        assertEquals(f32, f16, 0.01, "mixed_float16 within one point of float32");
        assertEquals(f32, bf16, 0.01, "mixed_bfloat16 within one point of float32");
    }
}
