package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.nn.KerasReference.floats;
import static org.nabla.nn.KerasReference.ints;
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
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.Input;
import org.nabla.nn.KerasReference;
import org.nabla.nn.KerasReference.Case;
import org.nabla.nn.Layer;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;

/**
 * Merge and reshaping layers against Keras 3.15 (JAX backend, float32): outputs and the gradients of a weighted sum
 * with respect to every input, from {@code scripts/references/keras_utility_layers_reference.py}'s output.
 */
class UtilityLayersKerasTest {
    static Stream<Case> cases() { return KerasReference.cases("/keras/utility_layers.json", m -> m.get("name") + " " + m.get("config")); }

    @SuppressWarnings("unchecked")
    private static Layer layer(Map<String, Object> d) {
        Map<String, Object> c = (Map<String, Object>) d.get("config");
        return switch ((String) d.get("name")) {
            case "Add" -> new Add();
            case "Multiply" -> new Multiply();
            case "Subtract" -> new Subtract();
            case "Average" -> new Average();
            case "Maximum" -> new Maximum();
            case "Minimum" -> new Minimum();
            case "RepeatVector" -> new RepeatVector(((Number) c.get("n")).intValue());
            case "Permute" -> new Permute(ints(c.get("dims")));
            case "Rescaling" -> new Rescaling(((Number) c.get("scale")).doubleValue(),
                    ((Number) c.get("offset")).doubleValue());
            case "GlobalMaxPooling2D" -> new GlobalMaxPooling2D();
            case "ZeroPadding2D" -> {
                int[] p = ints(c.get("pad"));
                yield new ZeroPadding2D(p[0], p[1], p[2], p[3]);
            }
            case "Cropping2D" -> {
                int[] p = ints(c.get("crop"));
                yield new Cropping2D(p[0], p[1], p[2], p[3]);
            }
            case "UpSampling2D" -> {
                int[] s = ints(c.get("size"));
                yield new UpSampling2D(s[0], s[1]);
            }
            default -> throw new IllegalArgumentException("unknown layer " + d.get("name"));
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesKeras(Case c) {
        Map<String, Object> d = c.d();
        List<Object> ins = (List<Object>) d.get("inputs");
        Tensor[] xs = ins.stream().map(KerasReference::tensor).toArray(Tensor[]::new);
        List<LayerOutput> inputs = new ArrayList<>();
        for (Tensor x : xs) {
            int[] dims = x.shape().dims();
            inputs.add(Input.of(Arrays.copyOfRange(dims, 1, dims.length)));
        }
        Layer l = layer(d);
        Model m = Model.functional(inputs, List.of(l.apply(inputs.toArray(LayerOutput[]::new))));
        Tensor expected = tensor(d.get("out"));
        Map<String, Object> outShape = (Map<String, Object>) d.get("out");
        Tensor w = Tensor.wrap(DType.FLOAT32, Shape.of(ints(outShape.get("shape"))), floats(d.get("weights")));
        try (GradientTape tape = new GradientTape()) {
            for (Tensor x : xs) tape.watch(x);
            Tensor y = m.call(xs, false)[0];
            close(c + " output", expected.toFloatArray(), y);
            assertEquals(expected.shape(), y.shape(), c + " shape");
            Tensor[] g = tape.gradient(Ops.sum(Ops.mul(y, w)), (Object[]) xs);
            List<Object> grads = (List<Object>) d.get("grads");
            for (int i = 0; i < xs.length; i++) close(c + " grad " + i, floats(grads.get(i)), g[i]);
        }
    }

    private static void close(String what, float[] e, Tensor actual) {
        KerasReference.assertClose(what, e, actual, 1e-6);
    }

    @Test
    void badConfigurationsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Permute(1, 1)).getMessage()
                .contains("permutation of 1..2"));
        assertThrows(IllegalArgumentException.class, () -> new RepeatVector(0));
        assertThrows(IllegalArgumentException.class, () -> new UpSampling2D(0, 1));
        LayerOutput a = Input.of(3), b = Input.of(3), c = Input.of(3);
        String sub = assertThrows(IllegalArgumentException.class,
                () -> Model.functional(List.of(a, b, c), List.of(new Subtract().apply(a, b, c)))).getMessage();
        assertTrue(sub.contains("needs exactly 2 inputs, got 3"), sub);
        LayerOutput img = Input.of(4, 4, 1);
        String crop = assertThrows(IllegalArgumentException.class,
                () -> Model.functional(img, new Cropping2D(2, 2, 0, 0).apply(img))).getMessage();
        assertTrue(crop.contains("leaves nothing"), crop);
    }
}
