package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.SGD;

/**
 * Temporal sample weights (Keras' {@code sample_weight} of shape [N, T] for a sequence output) against Keras 3.15
 * (JAX, float32), from {@code scripts/references/keras_temporal_weights_reference.py}: Dense layers over [N, T, F]
 * trained by SGD with each step's loss weighted, validated and evaluated with [N, T] weights; every history value and
 * the final weights, eagerly and traced.
 */
class TemporalSampleWeightKerasTest {
    @Test
    @SuppressWarnings("unchecked")
    void fitWithTemporalWeightsMatchesKeras() {
        Map<String, Object> d = KerasReference.root("/keras/temporal_weights.json");
        Tensor x = KerasReference.tensor(d.get("x")), xv = KerasReference.tensor(d.get("xv"));
        Tensor y = Ops.cast(KerasReference.tensor(d.get("y")), DType.INT32);
        Tensor yv = Ops.cast(KerasReference.tensor(d.get("yv")), DType.INT32);
        Tensor sw = KerasReference.tensor(d.get("sw")), swv = KerasReference.tensor(d.get("swv"));
        for (boolean eager : new boolean[] {false, true}) {
            Sequential m = new Sequential(new Dense(5, "tanh"), new Dense(3));
            m.input(4, 3);
            m.setWeights(tensors(d.get("w0")));
            m.compile(new SGD(0.1), Losses.sparseCategoricalCrossentropy(true), List.of("sparse_categorical_accuracy"),
                    List.of("sparse_categorical_accuracy"));
            m.runEagerly(eager);
            History h = m.fit(x, y, FitOptions.epochs(2).batchSize(5).shuffle(false).verbose(0).sampleWeight(sw)
                    .validationData(xv, yv, swv));
            String mode = eager ? " eager" : " traced";
            ((Map<String, Object>) d.get("history")).forEach((k, v) -> {
                float[] e = KerasReference.floats(v);
                for (int ep = 0; ep < e.length; ep++) {
                    assertEquals(e[ep], h.get(k).get(ep), 1e-5 * (1 + Math.abs(e[ep])), mode + " " + k + " epoch " + ep);
                }
            });
            List<Tensor> fw = tensors(d.get("final_weights"));
            for (int i = 0; i < fw.size(); i++) {
                KerasReference.assertClose(mode + " weight " + i, fw.get(i).toFloatArray(), m.getWeights().get(i), 1e-5);
            }
            Map<String, Double> ev = m.evaluate(xv, yv, swv, 4);
            ((Map<String, Object>) d.get("evaluate")).forEach((k, v) -> assertEquals(((Number) v).doubleValue(),
                    ev.get(k), 1e-5, mode + " evaluate " + k));
        }
    }

    @Test
    void weightsMustHaveOneRowPerExample() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> FitOptions.epochs(1).sampleWeight(Ops.ones(DType.FLOAT32, 2, 3, 4)));
        assertTrue(e.getMessage().contains("[N] or [N, T] (temporal)"), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static List<Tensor> tensors(Object o) {
        List<Tensor> out = new ArrayList<>();
        for (Object t : (List<Object>) o) out.add(KerasReference.tensor(t));
        return out;
    }
}
