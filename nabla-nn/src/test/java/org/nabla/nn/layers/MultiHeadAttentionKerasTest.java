package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.nn.KerasReference.floats;
import static org.nabla.nn.KerasReference.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.Input;
import org.nabla.nn.KerasReference;
import org.nabla.nn.KerasReference.Case;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;

/**
 * MultiHeadAttention against Keras 3.15 (JAX backend, float32): cross-attention, a separate key input, and causal
 * self-attention; output and the gradients of a weighted sum with respect to the inputs and all eight weights, from
 * {@code scripts/references/keras_attention_reference.py}'s output.
 */
class MultiHeadAttentionKerasTest {
    static Stream<Case> cases() { return KerasReference.cases("/keras/multi_head_attention.json", m -> "heads " + m.get("heads") + " key " + m.get("key_dim") + " causal " + m.get("causal") + " inputs " + ((java.util.List<?>) m.get("inputs")).size()); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesKeras(Case c) {
        Map<String, Object> d = c.d();
        Tensor[] xs = ((List<Object>) d.get("inputs")).stream().map(KerasReference::tensor)
                .toArray(Tensor[]::new);
        boolean self = (Boolean) d.get("self_attention");
        MultiHeadAttention mha = new MultiHeadAttention(((Number) d.get("heads")).intValue(),
                ((Number) d.get("key_dim")).intValue(), ((Number) d.get("value_dim")).intValue())
                .causal((Boolean) d.get("causal"));
        List<LayerOutput> ins = new ArrayList<>();
        for (Tensor x : xs) {
            int[] dims = x.shape().dims();
            ins.add(Input.of(Arrays.copyOfRange(dims, 1, dims.length)));
        }
        LayerOutput y = self ? mha.apply(ins.get(0), ins.get(0)) : mha.apply(ins.toArray(LayerOutput[]::new));
        Model m = Model.functional(ins, List.of(y));
        m.call(xs, false);   // builds
        List<Tensor> weights = ((List<Object>) d.get("weights")).stream().map(KerasReference::tensor)
                .toList();
        m.setWeights(weights);
        List<Variable> vars = m.trainableWeights();
        Tensor w = Tensor.wrap(DType.FLOAT32, tensor(d.get("out")).shape(), floats(d.get("loss_weights")));
        try (GradientTape tape = new GradientTape()) {
            for (Tensor x : xs) tape.watch(x);
            Tensor out = m.call(xs, false)[0];
            close(c + " output", floats(((Map<String, Object>) d.get("out")).get("data")), out);
            List<Object> sources = new ArrayList<>(Arrays.asList((Object[]) xs));
            sources.addAll(vars);
            Tensor[] g = tape.gradient(Ops.sum(Ops.mul(out, w)), sources.toArray());
            List<Object> gIn = (List<Object>) d.get("grad_inputs"), gW = (List<Object>) d.get("grad_weights");
            for (int i = 0; i < xs.length; i++) close(c + " grad input " + i, floats(gIn.get(i)), g[i]);
            for (int j = 0; j < vars.size(); j++) close(c + " grad " + vars.get(j).name(), floats(gW.get(j)),
                    g[xs.length + j]);
        }
    }

    private static void close(String what, float[] e, Tensor actual) {
        KerasReference.assertClose(what, e, actual, 2e-5);
    }

    @Test
    void badInputIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> new MultiHeadAttention(0, 4));
        LayerOutput q = Input.of(4, 6), v = Input.of(5, 6), k = Input.of(3, 6);
        String lengths = assertThrows(IllegalArgumentException.class,
                () -> Model.functional(List.of(q, v, k), List.of(new MultiHeadAttention(2, 3).apply(q, v, k))))
                .getMessage();
        assertTrue(lengths.contains("key and value need the same time length"), lengths);
        String causal = assertThrows(IllegalArgumentException.class, () -> Model.functional(List.of(q, v),
                List.of(new MultiHeadAttention(2, 3).causal(true).apply(q, v)))).getMessage();
        assertTrue(causal.contains("causal mask needs query and key of one length"), causal);
    }
}
