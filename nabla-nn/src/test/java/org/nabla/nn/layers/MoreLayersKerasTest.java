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
import org.nabla.nn.Layer;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;

/**
 * 1-D pooling, GroupNormalization and TimeDistributed against Keras 3.15 (JAX backend, float32): outputs and gradients with
 * respect to the input and the weights, from {@code scripts/references/keras_more_layers_reference.py}'s output.
 */
class MoreLayersKerasTest {
    static Stream<Case> cases() { return KerasReference.cases("/keras/more_layers.json", m -> m.get("name") + " " + m.get("config")); }

    @SuppressWarnings("unchecked")
    private static Layer layer(Map<String, Object> d) {
        Map<String, Object> c = (Map<String, Object>) d.get("config");
        java.util.function.ToIntFunction<String> i = k -> ((Number) c.get(k)).intValue();
        return switch ((String) d.get("name")) {
            case "MaxPooling1D" -> new MaxPooling1D(i.applyAsInt("pool"), i.applyAsInt("stride"),
                    (String) c.get("padding"));
            case "AveragePooling1D" -> new AveragePooling1D(i.applyAsInt("pool"), i.applyAsInt("stride"),
                    (String) c.get("padding"));
            case "GlobalAveragePooling1D" -> new GlobalAveragePooling1D();
            case "GlobalMaxPooling1D" -> new GlobalMaxPooling1D();
            case "GroupNormalization" -> new GroupNormalization(i.applyAsInt("groups"),
                    c.containsKey("epsilon") ? ((Number) c.get("epsilon")).doubleValue() : 1e-3, true, true);
            case "TimeDistributedDense" -> new TimeDistributed(new Dense(i.applyAsInt("units"), "tanh"));
            case "TimeDistributedConv2D" -> new TimeDistributed(new Conv2D(i.applyAsInt("filters"), i.applyAsInt("size")));
            default -> throw new IllegalArgumentException("unknown layer " + d.get("name"));
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesKeras(Case c) {
        Map<String, Object> d = c.d();
        Tensor x = tensor(d.get("x")), expected = tensor(d.get("out"));
        int[] dims = x.shape().dims();
        LayerOutput in = Input.of(Arrays.copyOfRange(dims, 1, dims.length));
        Model m = Model.functional(in, layer(d).apply(in));
        m.call(x);
        List<Object> ws = (List<Object>) d.get("weights");
        List<Variable> vars = m.trainableWeights();
        List<Tensor> values = new ArrayList<>();
        for (int j = 0; j < ws.size(); j++) values.add(Tensor.wrap(DType.FLOAT32, vars.get(j).shape(), floats(ws.get(j))));
        if (!values.isEmpty()) m.setWeights(values);
        Tensor w = Tensor.wrap(DType.FLOAT32, expected.shape(), floats(d.get("loss_weights")));
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = m.call(x);
            assertEquals(expected.shape(), y.shape(), c + " shape");
            close(c + " output", expected.toFloatArray(), y);
            List<Object> sources = new ArrayList<>(List.of(x));
            sources.addAll(vars);
            Tensor[] g = tape.gradient(Ops.sum(Ops.mul(y, w)), sources.toArray());
            close(c + " grad x", floats(d.get("grad_x")), g[0]);
            List<Object> gw = (List<Object>) d.get("grad_weights");
            for (int j = 0; j < vars.size(); j++) close(c + " grad " + vars.get(j).name(), floats(gw.get(j)), g[1 + j]);
        }
    }

    private static void close(String what, float[] e, Tensor actual) {
        KerasReference.assertClose(what, e, actual, 1e-5);
    }

    @Test
    void badConfigurationsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new MaxPooling1D(0));
        assertThrows(IllegalArgumentException.class, () -> new GroupNormalization(0));
        LayerOutput in = Input.of(5, 6);
        String groups = assertThrows(IllegalArgumentException.class,
                () -> Model.functional(in, new GroupNormalization(4).apply(in))).getMessage();
        assertTrue(groups.contains("divisible by 4 groups"), groups);
    }
}
