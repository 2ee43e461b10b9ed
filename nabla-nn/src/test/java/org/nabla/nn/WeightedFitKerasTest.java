package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.losses.Loss;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.losses.Reduction;
import org.nabla.nn.metrics.AUC;
import org.nabla.nn.metrics.Metric;
import org.nabla.nn.metrics.Metrics;
import org.nabla.nn.metrics.Precision;
import org.nabla.nn.metrics.Recall;
import org.nabla.nn.optimizers.SGD;

/**
 * Sample and class weights against Keras 3.15 (JAX, float32), from {@code scripts/references/keras_metrics_reference.py}:
 * losses with sample weights under each reduction; a small Dense model trained by SGD with {@code classWeight} or
 * {@code sampleWeight} (no shuffling, validation with weights), eagerly and traced: every history value, the final
 * weights, and {@code evaluate} with sample weights.
 */
class WeightedFitKerasTest {
    private static final String RESOURCE = "/keras/metrics.json";

    static Stream<KerasReference.Case> losses() {
        return KerasReference.cases(RESOURCE, "losses", d -> d.get("name") + " " + d.get("reduction"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void weightedLossesMatchKeras(KerasReference.Case c) {
        Map<String, Object> d = c.d();
        Loss loss = Losses.get((String) d.get("name")).withReduction(Reduction.of((String) d.get("reduction")));
        Tensor yTrue = KerasReference.tensor(d.get("y_true")), yPred = KerasReference.tensor(d.get("y_pred"));
        if (d.get("name").equals("sparse_categorical_crossentropy")) yTrue = Ops.cast(yTrue, DType.INT32);
        Tensor w = KerasReference.tensor(d.get("weights"));
        @SuppressWarnings("unchecked")
        float[] expected = KerasReference.floats(((Map<String, Object>) d.get("value")).get("data"));
        KerasReference.assertClose(c.toString(), expected, loss.call(yTrue, yPred, w), 2e-6);
        // differentiable through the weights' product (a finite difference on one prediction)
        if (d.get("reduction").equals("sum")) {
            Tensor yt = yTrue;
            try (GradientTape tape = new GradientTape()) {
                tape.watch(yPred);
                Tensor g = tape.gradient(loss.call(yTrue, yPred, w), yPred);
                float[] p = yPred.toFloatArray().clone();
                double h = 1e-3, g0 = g.toFloatArray()[1];
                p[1] += h;
                double up = loss.call(yt, Tensor.wrap(DType.FLOAT32, yPred.shape(), p.clone()), w).doubleValue();
                p[1] -= 2 * h;
                double down = loss.call(yt, Tensor.wrap(DType.FLOAT32, yPred.shape(), p), w).doubleValue();
                assertEquals((up - down) / (2 * h), g0, 2e-2 * (1 + Math.abs(g0)), c + " gradient");
            }
        }
    }

    static Stream<KerasReference.Case> fits() {
        return KerasReference.cases(RESOURCE, "fits", d -> (String) d.get("label"));
    }

    @SuppressWarnings("unchecked")
    private static List<Tensor> tensors(Object o) {
        List<Tensor> out = new ArrayList<>();
        for (Object t : (List<Object>) o) out.add(KerasReference.tensor(t));
        return out;
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("fits")
    void weightedFitMatchesKeras(KerasReference.Case c) {
        Map<String, Object> data = (Map<String, Object>) KerasReference.root(RESOURCE).get("fit_data");
        Map<String, Object> d = c.d();
        boolean binary = d.get("kind").equals("binary");
        Tensor x = KerasReference.tensor(data.get("x")), xv = KerasReference.tensor(data.get("xv"));
        Tensor y = binary ? KerasReference.tensor(data.get("yb")) : Ops.cast(KerasReference.tensor(data.get("y")), DType.INT32);
        Tensor yv = KerasReference.tensor(data.get("yv"));
        yv = binary ? Ops.cast(Ops.greater(yv, 0f), DType.FLOAT32) : Ops.cast(yv, DType.INT32);
        Tensor swv = KerasReference.tensor(data.get("swv"));
        for (boolean eager : new boolean[] {false, true}) {
            Sequential m = new Sequential(new Dense(5, "tanh"), new Dense(binary ? 1 : 3, binary ? "sigmoid" : "softmax"));
            m.input(4);
            m.setWeights(tensors(data.get(binary ? "wb" : "w0")));
            if (binary) {
                m.compile(new SGD(0.2), List.of(Losses.binaryCrossentropy(false)),
                        List.<Metric>of(new AUC(), new Precision(), new Recall()), List.of(Metrics.get("binary_accuracy", null)));
            } else {
                m.compile(new SGD(0.1), Losses.sparseCategoricalCrossentropy(false), List.of("sparse_categorical_accuracy"),
                        List.of("sparse_categorical_accuracy"));
            }
            m.runEagerly(eager);
            FitOptions o = FitOptions.epochs(2).batchSize(5).shuffle(false).verbose(0).validationData(xv, yv, swv);
            if (d.get("label").equals("sample_weight")) o.sampleWeight(KerasReference.tensor(data.get("sw")));
            else {
                Map<Integer, Double> cw = binary ? Map.of(0, 1.0, 1, 3.0) : Map.of(0, 0.5, 1, 2.0, 2, 1.0);
                o.classWeight(cw);
            }
            History h = m.fit(x, y, o);
            String mode = eager ? " eager" : " traced";
            ((Map<String, Object>) d.get("history")).forEach((k, v) -> {
                float[] e = KerasReference.floats(v);
                for (int ep = 0; ep < e.length; ep++) {
                    assertEquals(e[ep], h.get(k).get(ep), 2e-5 * (1 + Math.abs(e[ep])), c + mode + " " + k + " epoch " + ep);
                }
            });
            List<Tensor> fw = tensors(d.get("final_weights"));
            for (int i = 0; i < fw.size(); i++) {
                KerasReference.assertClose(c + mode + " weight " + i, fw.get(i).toFloatArray(), m.getWeights().get(i), 2e-5);
            }
            Map<String, Double> ev = m.evaluate(xv, yv, swv, 4);
            ((Map<String, Object>) d.get("evaluate")).forEach((k, v) -> assertEquals(((Number) v).doubleValue(),
                    ev.get(k), 2e-5, c + mode + " evaluate " + k));
        }
    }

    @Test
    void classAndSampleWeightsTogetherAreRefused() {
        Sequential m = new Sequential(new Dense(2));
        m.compile(new SGD(0.1), Losses.sparseCategoricalCrossentropy(true));
        Tensor x = Ops.zeros(DType.FLOAT32, 4, 3), y = Ops.zeros(DType.INT32, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.fit(x, y,
                FitOptions.epochs(1).verbose(0).classWeight(Map.of(0, 2.0)).sampleWeight(Ops.ones(DType.FLOAT32, 4))));
        assertTrue(e.getMessage().contains("classWeight or sampleWeight"), e.getMessage());
        Loss none = Losses.meanSquaredError().withReduction(Reduction.NONE);
        assertEquals(4, none.call(Ops.ones(DType.FLOAT32, 4, 2), Ops.zeros(DType.FLOAT32, 4, 2))
                .shape().dim(0));
    }
}
