package org.nabla.nn.layers;

import static org.nabla.nn.KerasReference.floats;
import static org.nabla.nn.KerasReference.tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.TracedFunction;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.Input;
import org.nabla.nn.KerasReference;
import org.nabla.nn.KerasReference.Case;
import org.nabla.nn.Layer;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;
import org.nabla.nn.saving.SavedModel;

/**
 * How a padding mask flows through a functional model, against Keras 3.15 (JAX, float32): passed on by Dense,
 * LayerNormalization, Activation and MultiHeadAttention, combined by every merge layer (both inputs masked, and one
 * masked input with an unmasked one), consumed by GlobalAveragePooling1D and GRU, dropped by Conv1D and ignored by
 * GlobalMaxPooling1D. Output and the gradients of a weighted sum, eagerly, traced and after save/load. From
 * {@code scripts/references/keras_mask_flow_reference.py}'s checked-in output.
 */
class MaskFlowKerasTest {
    private static final int V = 9, D = 4, T = 5;
    private static final double TOLERANCE = 1e-5;

    static Stream<Case> cases() {
        return KerasReference.cases("/keras/mask_flow.json", m -> (String) m.get("name"));
    }

    private static LayerOutput embed(LayerOutput ids) { return new Embedding(V, D).maskZero(true).apply(ids); }

    private static Layer merge(String name) {
        return switch (name) {
            case "add" -> new Add();
            case "subtract" -> new Subtract();
            case "multiply" -> new Multiply();
            case "average" -> new Average();
            case "maximum" -> new Maximum();
            case "minimum" -> new Minimum();
            case "concatenate" -> new Concatenate();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The model of each case, as the Keras script builds it. */
    private static Model model(String name) {
        LayerOutput tok = Input.of(T);
        switch (name) {
            case "pass_through" -> {
                LayerOutput y = new Dense(6, "relu").apply(embed(tok));
                y = new Activation("tanh").apply(new LayerNormalization().apply(y));
                return Model.functional(tok, new Dense(2).apply(new GlobalAveragePooling1D().apply(y)));
            }
            case "dense_gru" -> {
                return Model.functional(tok, new GRU(3).apply(new Dense(D).apply(embed(tok))));
            }
            case "encoder_block" -> {
                LayerOutput e = embed(tok);
                LayerOutput a = new MultiHeadAttention(2, 3).apply(e, e);
                LayerOutput y = new LayerNormalization().apply(new Add().apply(e, a));
                y = new Add().apply(y, new Dense(D).apply(new Dense(8, "relu").apply(y)));
                return Model.functional(tok, new GlobalAveragePooling1D().apply(y));
            }
            case "conv1d_drops" -> {
                LayerOutput y = new Conv1D(3, 2).padding("same").apply(embed(tok));
                return Model.functional(tok, new GlobalAveragePooling1D().apply(y));
            }
            case "max_pooling_ignores" -> {
                return Model.functional(tok, new GlobalMaxPooling1D().apply(embed(tok)));
            }
            default -> {
                boolean oneMask = name.endsWith("_one_mask");
                LayerOutput other = oneMask ? Input.of(T, D) : Input.of(T);
                LayerOutput e1 = embed(tok), e2 = oneMask ? other : embed(other);
                LayerOutput y = merge(name.replace("_one_mask", "")).apply(e1, e2);
                return Model.functional(List.of(tok, other), List.of(new GlobalAveragePooling1D().apply(y)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesKeras(Case c, @TempDir Path tmp) throws Exception {
        Map<String, Object> d = c.d();
        List<Object> gIn = (List<Object>) d.get("grad_inputs");
        List<Object> inputs = (List<Object>) d.get("inputs");
        Tensor[] in = new Tensor[inputs.size()];
        for (int i = 0; i < in.length; i++) {
            Tensor x = tensor(inputs.get(i));
            boolean floatInput = gIn.size() > 0 && i == in.length - 1;   // the one-mask merges' second input
            in[i] = floatInput ? x : Ops.cast(x, DType.INT32);
        }
        Model m = model((String) d.get("name"));
        m.setWeights(((List<Object>) d.get("weights")).stream().map(KerasReference::tensor).toList());
        float[] expected = floats(((Map<String, Object>) d.get("out")).get("data"));
        KerasReference.assertClose(c + " output", expected, m.call(in, false)[0], TOLERANCE);
        TracedFunction traced = TracedFunction.of(a -> m.call(a, false));
        KerasReference.assertClose(c + " traced output", expected, traced.call(in)[0], TOLERANCE);
        m.save(tmp.resolve("model"));
        try (SavedModel loaded = Model.load(tmp.resolve("model"))) {
            KerasReference.assertClose(c + " loaded output", expected, loaded.predict(in)[0], TOLERANCE);
        }

        List<Variable> vars = m.trainableWeights();
        Tensor w = tensor(d.get("loss_weights"));
        List<Object> gW = (List<Object>) d.get("grad_weights");
        try (GradientTape tape = new GradientTape()) {
            List<Object> sources = new ArrayList<>(vars);
            for (int i = 0; i < gIn.size(); i++) {
                tape.watch(in[in.length - 1]);
                sources.add(in[in.length - 1]);
            }
            Tensor out = m.call(in, false)[0];
            Tensor[] g = tape.gradient(Ops.sum(Ops.mul(out, w)), sources.toArray());
            for (int j = 0; j < vars.size(); j++) {
                KerasReference.assertClose(c + " grad " + vars.get(j).name(),
                        floats(((Map<String, Object>) gW.get(j)).get("data")), g[j], TOLERANCE);
            }
            for (int i = 0; i < gIn.size(); i++) {
                KerasReference.assertClose(c + " grad input", floats(((Map<String, Object>) gIn.get(i)).get("data")),
                        g[vars.size() + i], TOLERANCE);
            }
        }
    }
}
