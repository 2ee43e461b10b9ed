package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.nn.KerasReference.floats;
import static org.nabla.nn.KerasReference.tensor;

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
import org.nabla.TracedFunction;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.Input;
import org.nabla.nn.KerasReference;
import org.nabla.nn.KerasReference.Case;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;

/**
 * MultiHeadAttention's padding masks against Keras 3.15 (JAX, float32): Embedding(maskZero) into self-attention
 * (with and without the causal mask), cross-attention between two masked sequences (query and value masks), and an
 * explicit attention mask input (alone and with the causal mask, with a query step that may attend to nothing);
 * output and the gradients of a weighted sum with respect to every weight and the float inputs, eagerly and traced.
 * From {@code scripts/references/keras_attention_masks_reference.py}'s checked-in output.
 */
class MultiHeadAttentionMasksKerasTest {
    static Stream<Case> cases() {
        return KerasReference.cases("/keras/multi_head_attention_masks.json", m -> (String) m.get("name"));
    }

    /** The model of each case, as the Keras script builds it. */
    private static Model model(String name) {
        switch (name) {
            case "self", "self_causal" -> {
                LayerOutput tok = Input.of(5);
                LayerOutput e = new Embedding(9, 6).maskZero(true).apply(tok);
                return Model.functional(tok, new MultiHeadAttention(2, 3).causal(name.endsWith("causal")).apply(e, e));
            }
            case "cross" -> {
                LayerOutput qa = Input.of(4), va = Input.of(6);
                LayerOutput eq = new Embedding(9, 6).maskZero(true).apply(qa);
                LayerOutput ev = new Embedding(9, 7).maskZero(true).apply(va);
                return Model.functional(List.of(qa, va), List.of(new MultiHeadAttention(2, 3).apply(eq, ev)));
            }
            default -> {
                LayerOutput q = Input.of(4, 6), v = Input.of(4, 8), m = Input.of(4, 4);
                LayerOutput y = new MultiHeadAttention(2, 3).attentionMaskInput(true)
                        .causal(name.endsWith("causal")).apply(q, v, m);
                return Model.functional(List.of(q, v, m), List.of(y));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesKeras(Case c) {
        Map<String, Object> d = c.d();
        String name = (String) d.get("name");
        boolean ids = !name.startsWith("attention_mask");
        List<Tensor> xs = new ArrayList<>();
        for (Object o : (List<Object>) d.get("inputs")) xs.add(ids ? Ops.cast(tensor(o), DType.INT32) : tensor(o));
        Tensor[] in = xs.toArray(Tensor[]::new);
        Model m = model(name);
        m.setWeights(((List<Object>) d.get("weights")).stream().map(KerasReference::tensor).toList());
        float[] expected = floats(((Map<String, Object>) d.get("out")).get("data"));
        KerasReference.assertClose(c + " output", expected, m.call(in, false)[0], 2e-5);
        TracedFunction traced = TracedFunction.of(a -> m.call(a, false));
        KerasReference.assertClose(c + " traced output", expected, traced.call(in)[0], 2e-5);

        List<Variable> vars = m.trainableWeights();
        Tensor w = tensor(d.get("loss_weights"));
        List<Object> gW = (List<Object>) d.get("grad_weights"), gIn = (List<Object>) d.get("grad_inputs");
        try (GradientTape tape = new GradientTape()) {
            List<Object> sources = new ArrayList<>(vars);
            for (int i = 0; i < gIn.size(); i++) {
                tape.watch(in[i]);
                sources.add(in[i]);
            }
            Tensor out = m.call(in, false)[0];
            Tensor[] g = tape.gradient(Ops.sum(Ops.mul(out, w)), sources.toArray());
            for (int j = 0; j < vars.size(); j++) {
                KerasReference.assertClose(c + " grad " + vars.get(j).name(),
                        floats(((Map<String, Object>) gW.get(j)).get("data")), g[j], 2e-5);
            }
            for (int i = 0; i < gIn.size(); i++) {
                KerasReference.assertClose(c + " grad input " + i, floats(((Map<String, Object>) gIn.get(i)).get("data")),
                        g[vars.size() + i], 2e-5);
            }
        }
    }

    @Test
    void maskShapesAreChecked() {
        LayerOutput q = Input.of(4, 6), v = Input.of(5, 6), m = Input.of(4, 4);
        String msg = assertThrows(IllegalArgumentException.class, () -> Model.functional(List.of(q, v, m),
                List.of(new MultiHeadAttention(2, 3).attentionMaskInput(true).apply(q, v, m)))).getMessage();
        assertTrue(msg.contains("the attention mask must be [batch, 4, 5]"), msg);
        // the query's mask flows on, and no mask leaves the result as before
        MultiHeadAttention mha = new MultiHeadAttention(2, 3);
        Tensor x = Ops.randomNormal(new int[] {2, 4, 6}, DType.FLOAT32, 0, 1, 3);
        Tensor noMask = mha.call(x, x);
        Tensor[] masked = mha.callWithMasks(new Tensor[] {x, x}, new Tensor[2], org.nabla.nn.CallContext.INFERENCE);
        assertEquals(0, Ops.sum(Ops.abs(Ops.sub(noMask, masked[0]))).doubleValue());
    }
}
