package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.io.Json;
import org.nabla.nn.Input;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;

/**
 * LayerNormalization against Keras 3.15 (JAX backend; float64 inputs, float32 arithmetic inside Keras): output and the gradients of a weighted sum with
 * respect to the input, gamma and beta, from {@code scripts/references/keras_layernorm_reference.py}'s output.
 */
class LayerNormalizationKerasTest {
    /** Keras on JAX computes this layer in float32 even for float64 weights, so agreement is to float32 precision. */
    private static final double TOL = 1e-6;

    record Case(String label, Map<String, Object> d) {
        @Override public String toString() { return label; }
    }

    @SuppressWarnings("unchecked")
    static Stream<Case> cases() throws IOException {
        try (InputStream in = LayerNormalizationKerasTest.class.getResourceAsStream(
                "/keras/layer_normalization.json")) {
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            List<Case> out = new ArrayList<>();
            for (Object c : (List<Object>) root.get("cases")) {
                Map<String, Object> m = (Map<String, Object>) c;
                out.add(new Case("shape " + m.get("shape") + " center " + m.get("center") + " scale " + m.get("scale"), m));
            }
            return out.stream();
        }
    }

    private static double[] doubles(Object o) {
        return ((List<?>) o).stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesKeras(Case c) {
        Map<String, Object> d = c.d();
        int[] shape = ((List<?>) d.get("shape")).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
        boolean center = (Boolean) d.get("center"), scale = (Boolean) d.get("scale");
        int[] features = java.util.Arrays.copyOfRange(shape, 1, shape.length);
        LayerOutput in = Input.of(features);
        Model m = Model.functional(in, new LayerNormalization(((Number) d.get("epsilon")).doubleValue(), center, scale)
                .dtype(DType.FLOAT64).apply(in));
        Tensor x = Tensor.wrap(DType.FLOAT64, Shape.of(shape), doubles(d.get("x")));
        m.call(x);   // builds
        List<Tensor> values = new ArrayList<>();
        if (scale) values.add(Tensor.wrap(DType.FLOAT64, Shape.of(shape[shape.length - 1]), doubles(d.get("gamma"))));
        if (center) values.add(Tensor.wrap(DType.FLOAT64, Shape.of(shape[shape.length - 1]), doubles(d.get("beta"))));
        m.setWeights(values);
        List<Variable> vars = m.trainableWeights();
        Tensor w = Tensor.wrap(DType.FLOAT64, Shape.of(shape), doubles(d.get("weights")));
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor out = m.call(x);
            close(c + " output", doubles(d.get("out")), out);
            List<Object> sources = new ArrayList<>(List.of(x));
            sources.addAll(vars);
            Tensor[] g = tape.gradient(Ops.sum(Ops.mul(out, w)), sources.toArray());
            close(c + " grad x", doubles(d.get("grad_x")), g[0]);
            int k = 1;
            if (scale) close(c + " grad gamma", doubles(d.get("grad_gamma")), g[k++]);
            if (center) close(c + " grad beta", doubles(d.get("grad_beta")), g[k]);
        }
    }

    private static void close(String what, double[] e, Tensor actual) {
        double[] a = actual.toDoubleArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], TOL * (1 + Math.abs(e[i])), what + " at " + i);
    }

    @Test
    void badInputIsNamed() {
        String eps = assertThrows(IllegalArgumentException.class, () -> new LayerNormalization(0, true, true))
                .getMessage();
        assertTrue(eps.contains("LayerNormalization: epsilon must be positive, got 0.0"), eps);
    }
}
