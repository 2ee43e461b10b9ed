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
 * Conv1D against Keras 3.15 (JAX backend, float32): valid, same and causal padding, strides, dilation and groups;
 * output and the gradients with respect to input, kernel and bias, from
 * {@code scripts/references/keras_conv1d_reference.py}'s output.
 */
class Conv1DKerasTest {
    record Case(String label, Map<String, Object> d) {
        @Override public String toString() { return label; }
    }

    @SuppressWarnings("unchecked")
    static Stream<Case> cases() throws IOException {
        try (InputStream in = Conv1DKerasTest.class.getResourceAsStream("/keras/conv1d.json")) {
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            List<Case> out = new ArrayList<>();
            for (Object c : (List<Object>) root.get("cases")) {
                Map<String, Object> m = (Map<String, Object>) c;
                out.add(new Case(m.get("padding") + " size " + m.get("size") + " strides " + m.get("strides")
                        + " dilation " + m.get("dilation") + " groups " + m.get("groups"), m));
            }
            return out.stream();
        }
    }

    private static int num(Map<String, Object> d, String k) { return ((Number) d.get(k)).intValue(); }

    private static float[] floats(Object o) {
        List<?> l = (List<?>) o;
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) f[i] = ((Number) l.get(i)).floatValue();
        return f;
    }

    @SuppressWarnings("unchecked")
    private static Tensor tensor(Object o) {
        Map<String, Object> m = (Map<String, Object>) o;
        int[] shape = ((List<?>) m.get("shape")).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
        return Tensor.wrap(DType.FLOAT32, Shape.of(shape), floats(m.get("data")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesKeras(Case c) {
        Map<String, Object> d = c.d();
        Tensor x = tensor(d.get("x")), expected = tensor(d.get("out"));
        LayerOutput in = Input.of(x.shape().dim(1), x.shape().dim(2));
        Conv1D conv = new Conv1D(num(d, "filters"), num(d, "size")).padding((String) d.get("padding"))
                .strides(num(d, "strides")).dilationRate(num(d, "dilation")).groups(num(d, "groups"));
        Model m = Model.functional(in, conv.apply(in));
        m.call(x);
        float[] b = floats(d.get("bias"));
        m.setWeights(List.of(tensor(d.get("kernel")), Tensor.wrap(DType.FLOAT32, Shape.of(b.length), b)));
        List<Variable> vars = m.trainableWeights();
        Tensor w = Tensor.wrap(DType.FLOAT32, expected.shape(), floats(d.get("weights")));
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = m.call(x);
            assertEquals(expected.shape(), y.shape(), c + " shape");
            close(c + " output", expected.toFloatArray(), y);
            Tensor[] g = tape.gradient(Ops.sum(Ops.mul(y, w)), x, vars.get(0), vars.get(1));
            close(c + " grad x", floats(d.get("grad_x")), g[0]);
            close(c + " grad kernel", floats(d.get("grad_kernel")), g[1]);
            close(c + " grad bias", floats(d.get("grad_bias")), g[2]);
        }
    }

    private static void close(String what, float[] e, Tensor actual) {
        float[] a = actual.toFloatArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-5 * (1 + Math.abs(e[i])), what + " at " + i);
    }

    @Test
    void badConfigurationsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new Conv1D(0, 3));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Conv1D(2, 3).padding("full"))
                .getMessage().contains("valid, same or causal"));
        LayerOutput in = Input.of(5, 3);
        String groups = assertThrows(IllegalArgumentException.class,
                () -> Model.functional(in, new Conv1D(4, 2).groups(2).apply(in))).getMessage();
        assertTrue(groups.contains("divisible by groups 2"), groups);
        LayerOutput shortIn = Input.of(2, 3);
        String span = assertThrows(IllegalArgumentException.class,
                () -> Model.functional(shortIn, new Conv1D(4, 3).apply(shortIn))).getMessage();
        assertTrue(span.contains("fewer than the kernel's span 3"), span);
    }
}
