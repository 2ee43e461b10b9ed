package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.TracedFunction;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.CallContext;
import org.nabla.nn.KerasReference;
import org.nabla.nn.KerasReference.Case;
import org.nabla.nn.Sequential;

/**
 * BatchNormalization's training statistics over the real steps of a masked sequence, against Keras 3.15 (JAX,
 * float32; {@code scripts/references/keras_batchnorm_mask_reference.py}): behind Masking, and behind
 * Embedding(mask_zero) and Dense, into a GRU. The training output, the moving statistics after the call, the
 * gradients of a weighted sum (weights and the float input) and the inference output after the update, eagerly and
 * traced.
 */
class BatchNormalizationMaskKerasTest {
    private static final double TOLERANCE = 1e-5;

    static Stream<Case> cases() {
        return KerasReference.cases("/keras/batchnorm_mask.json", m -> (String) m.get("name"));
    }

    private static Sequential model(String name) {
        return switch (name) {
            case "masking_batchnorm_gru" -> new Sequential(new Masking(),
                    new BatchNormalization().momentum(0.9), new GRU(3).returnSequences(true)).input(5, 3);
            case "embedding_dense_batchnorm_gru" -> new Sequential(new Embedding(9, 4).maskZero(true),
                    new Dense(4), new BatchNormalization().momentum(0.9), new GRU(3)).input(5);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void trainingStatisticsCountTheRealStepsOnly(Case c) {
        Map<String, Object> d = c.d();
        boolean floatInput = d.get("grad_input") != null;
        Tensor x = KerasReference.tensor(d.get("x"));
        if (!floatInput) x = Ops.cast(x, DType.INT32);
        Tensor w = KerasReference.tensor(d.get("loss_weights"));
        for (boolean traced : new boolean[] {false, true}) {
            String mode = c + (traced ? " traced" : " eager");
            Sequential m = model((String) d.get("name"));
            List<Variable> vars = m.trainableWeights();
            List<Object> weights = (List<Object>) d.get("weights");
            for (int i = 0; i < vars.size(); i++) vars.get(i).assign(KerasReference.tensor(weights.get(i)));
            final Tensor input = x;
            java.util.function.Function<Tensor[], Tensor[]> step = a -> {
                try (GradientTape tape = new GradientTape()) {
                    List<Object> sources = new ArrayList<>(vars);
                    if (floatInput) {
                        tape.watch(a[0]);
                        sources.add(a[0]);
                    }
                    Tensor out = m.call(new Tensor[] {a[0]}, true)[0];
                    Tensor[] g = tape.gradient(Ops.sum(Ops.mul(out, w)), sources.toArray());
                    Tensor[] all = new Tensor[g.length + 1];
                    all[0] = out;
                    System.arraycopy(g, 0, all, 1, g.length);
                    return all;
                }
            };
            Tensor[] r = traced ? TracedFunction.of(step).call(input) : step.apply(new Tensor[] {input});
            KerasReference.assertClose(mode + " output", floats(d.get("out")), r[0], TOLERANCE);
            List<Object> gw = (List<Object>) d.get("grad_weights");
            for (int i = 0; i < vars.size(); i++) {
                KerasReference.assertClose(mode + " grad " + vars.get(i).name(), floats(gw.get(i)), r[1 + i], TOLERANCE);
            }
            if (floatInput) KerasReference.assertClose(mode + " grad input", floats(d.get("grad_input")), r[r.length - 1], TOLERANCE);
            BatchNormalization bn = (BatchNormalization) m.layers().stream()
                    .filter(l -> l instanceof BatchNormalization).findFirst().orElseThrow();
            KerasReference.assertClose(mode + " moving mean", floats(d.get("moving_mean")), bn.movingMean().read(), TOLERANCE);
            KerasReference.assertClose(mode + " moving variance", floats(d.get("moving_variance")),
                    bn.movingVariance().read(), TOLERANCE);
            KerasReference.assertClose(mode + " inference output", floats(d.get("inference_out")), m.call(input),
                    TOLERANCE);
        }
    }

    @Test
    void aMaskOfTheWrongRankIsRejected() {
        BatchNormalization bn = new BatchNormalization();
        Tensor x = Ops.ones(DType.FLOAT32, 2, 3, 4);
        Tensor mask = Tensor.wrap(DType.BOOL, Shape.of(2), new byte[] {1, 1});
        var e = assertThrows(IllegalArgumentException.class,
                () -> bn.callAll(new Tensor[] {x}, mask, CallContext.training(org.nabla.Tensors.scalar(0L), 1)));
        assertTrue(e.getMessage().contains("one axis less than the inputs"), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static float[] floats(Object o) {
        return KerasReference.floats(((Map<String, Object>) o).get("data"));
    }
}
