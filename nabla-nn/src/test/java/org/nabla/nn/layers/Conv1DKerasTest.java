package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.nn.KerasReference.floats;
import static org.nabla.nn.KerasReference.tensor;

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
import org.nabla.nn.Input;
import org.nabla.nn.KerasReference;
import org.nabla.nn.KerasReference.Case;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;

/**
 * Conv1D against Keras 3.15 (JAX backend, float32): valid, same and causal padding, strides, dilation and groups;
 * output and the gradients with respect to input, kernel and bias, from
 * {@code scripts/references/keras_conv1d_reference.py}'s output.
 */
class Conv1DKerasTest {
    static Stream<Case> cases() { return KerasReference.cases("/keras/conv1d.json", m -> m.get("padding") + " size " + m.get("size") + " strides " + m.get("strides") + " dilation " + m.get("dilation") + " groups " + m.get("groups")); }

    private static int num(Map<String, Object> d, String k) { return ((Number) d.get(k)).intValue(); }

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
        KerasReference.assertClose(what, e, actual, 1e-5);
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
