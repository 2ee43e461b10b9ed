package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.layers.Embedding;
import org.nabla.nn.layers.GRU;
import org.nabla.nn.layers.LSTM;
import org.nabla.nn.layers.SimpleRNN;
import org.nabla.nn.layers.TimeDistributed;
import org.nabla.nn.losses.Loss;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.SGD;

/**
 * A sequence output's padding mask in the loss and the mean metrics of {@code fit}, {@code evaluate} and
 * {@code gradients}, against Keras 3.15 (PyTorch backend, float32; its JAX training step drops the mask from the metrics, see the script) from {@code scripts/references/keras_masked_loss_reference.py}:
 * Embedding(mask_zero) into an LSTM, GRU or SimpleRNN returning sequences and a Dense or TimeDistributed head, with
 * [N, T], [N, 1] or no sample weights. The compiled loss and its gradients at the initial weights, then two epochs of
 * SGD (history with validation, evaluate, the final weights), eagerly and traced.
 */
class MaskedLossKerasTest {
    static Stream<KerasReference.Case> cases() {
        return KerasReference.cases("/keras/masked_loss.json", c -> (String) c.get("name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void maskedStepsAreLeftOutOfTheLossAndMetrics(KerasReference.Case c) {
        Map<String, Object> d = c.d();
        String name = (String) d.get("name");
        Tensor x = Ops.cast(KerasReference.tensor(d.get("x")), DType.INT32);
        Tensor xv = Ops.cast(KerasReference.tensor(d.get("xv")), DType.INT32);
        boolean regression = name.equals("simple_rnn_mse");
        Tensor y = KerasReference.tensor(d.get("y")), yv = KerasReference.tensor(d.get("yv"));
        if (!regression) {
            y = Ops.cast(y, DType.INT32);
            yv = Ops.cast(yv, DType.INT32);
        }
        Tensor sw = d.get("sw") == null ? null : KerasReference.tensor(d.get("sw"));
        for (boolean eager : new boolean[] {false, true}) {
            String mode = name + (eager ? " eager" : " traced");
            Sequential m = model(name);
            m.input(x.shape().dim(1));
            m.setWeights(tensors(d.get("w0")));
            String metric = regression ? "mean_absolute_error" : "sparse_categorical_accuracy";
            m.compile(new SGD(0.2), loss(name), List.of(metric), List.of(metric));
            m.runEagerly(eager);

            Map<String, Tensor> grads = sw == null ? m.gradients(x, y) : m.gradients(x, y, sw);
            List<Tensor> expected = tensors(d.get("grads"));
            assertEquals(expected.size(), grads.size(), mode + " gradients");
            int i = 0;
            for (Tensor g : grads.values()) {
                KerasReference.assertClose(mode + " gradient " + i, expected.get(i++).toFloatArray(), g, 1e-5);
            }
            Map<String, Double> first = sw == null ? m.evaluate(x, y, x.shape().dim(0))
                    : m.evaluate(x, y, sw, (int) x.shape().dim(0));
            double loss = ((Number) d.get("loss")).doubleValue();
            assertEquals(loss, first.get("loss"), 1e-5 * (1 + loss), mode + " loss");

            FitOptions fo = FitOptions.epochs(2).batchSize(4).shuffle(false).verbose(0).validationData(xv, yv);
            History h = m.fit(x, y, sw == null ? fo : fo.sampleWeight(sw));
            ((Map<String, Object>) d.get("history")).forEach((k, v) -> {
                float[] e = KerasReference.floats(v);
                for (int ep = 0; ep < e.length; ep++) {
                    assertEquals(e[ep], h.get(k).get(ep), 1e-5 * (1 + Math.abs(e[ep])), mode + " " + k + " epoch " + ep);
                }
            });
            List<Tensor> fw = tensors(d.get("final_weights"));
            for (int w = 0; w < fw.size(); w++) {
                KerasReference.assertClose(mode + " weight " + w, fw.get(w).toFloatArray(), m.getWeights().get(w), 1e-5);
            }
            Map<String, Double> ev = m.evaluate(xv, yv, 4);
            ((Map<String, Object>) d.get("evaluate")).forEach((k, v) -> assertEquals(((Number) v).doubleValue(),
                    ev.get(k), 1e-5, mode + " evaluate " + k));
        }
    }

    private static Sequential model(String name) {
        return switch (name) {
            case "lstm_dense_logits" -> new Sequential(new Embedding(9, 4).maskZero(true),
                    new LSTM(5).returnSequences(true), new Dense(3));
            case "gru_time_distributed_softmax" -> new Sequential(new Embedding(9, 4).maskZero(true),
                    new GRU(5).returnSequences(true), new TimeDistributed(new Dense(3, "softmax")));
            case "simple_rnn_mse" -> new Sequential(new Embedding(9, 4).maskZero(true),
                    new SimpleRNN(5).returnSequences(true), new Dense(2));
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Loss loss(String name) {
        return switch (name) {
            case "lstm_dense_logits" -> Losses.sparseCategoricalCrossentropy(true);
            case "gru_time_distributed_softmax" -> Losses.sparseCategoricalCrossentropy(false);
            default -> Losses.meanSquaredError();
        };
    }

    @SuppressWarnings("unchecked")
    private static List<Tensor> tensors(Object o) {
        List<Tensor> out = new ArrayList<>();
        for (Object t : (List<Object>) o) out.add(KerasReference.tensor(t));
        return out;
    }
}
