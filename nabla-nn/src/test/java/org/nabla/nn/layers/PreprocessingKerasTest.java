package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nabla.nn.KerasReference.floats;
import static org.nabla.nn.KerasReference.ints;
import static org.nabla.nn.KerasReference.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.nn.CallContext;
import org.nabla.nn.KerasReference;
import org.nabla.nn.KerasReference.Case;
import org.nabla.nn.Layer;

/**
 * The augmentation layers against Keras 3.15 (JAX backend, float32) where their output is deterministic (factor
 * ranges with lower == upper): RandomRotation, RandomZoom, RandomTranslation over the fill modes and interpolations,
 * RandomContrast and RandomBrightness, eagerly and traced, and the identity at inference; Normalization's adapted statistics, output and inverse;
 * RandomCrop's inference path against a centred crop and Keras' bilinear resize. From
 * {@code scripts/references/keras_preprocessing_reference.py}'s output.
 */
class PreprocessingKerasTest {
    private static final CallContext TRAIN = CallContext.training(Tensors.scalar(7L), 3);

    static Stream<Case> cases() {
        return KerasReference.cases("/keras/preprocessing.json", m -> m.get("name") + " " + m.get("config"));
    }

    private static double num(Map<String, Object> c, String k) { return ((Number) c.get(k)).doubleValue(); }

    @SuppressWarnings("unchecked")
    private static Layer augmentation(String name, Map<String, Object> c) {
        AffineAugmentation l = switch (name) {
            case "RandomRotation" -> new RandomRotation(num(c, "lower"), num(c, "upper"));
            case "RandomZoom" -> {
                float[] h = floats(c.get("height"));
                float[] w = c.containsKey("width") ? floats(c.get("width")) : new float[] {Float.NaN, Float.NaN};
                yield new RandomZoom(h[0], h[1], w[0], w[1]);
            }
            case "RandomTranslation" -> {
                float[] h = floats(c.get("height")), w = floats(c.get("width"));
                yield new RandomTranslation(h[0], h[1], w[0], w[1]);
            }
            default -> throw new IllegalArgumentException(name);
        };
        return l.fillMode((String) c.get("fill")).interpolation((String) c.get("interpolation"))
                .fillValue(num(c, "value"));
    }

    private static Layer color(String name, Map<String, Object> c) {
        float[] f = floats(c.get("factor")), r = floats(c.get("range"));
        ColorAugmentation l = name.equals("RandomContrast") ? new RandomContrast(f[0], f[1])
                : new RandomBrightness(f[0], f[1]);
        return l.valueRange(r[0], r[1]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesKeras(Case k) {
        Map<String, Object> d = k.d();
        Map<String, Object> c = (Map<String, Object>) d.get("config");
        String name = (String) d.get("name");
        Tensor x = tensor(d.get("x")), expected = tensor(d.get("out"));
        switch (name) {
            case "Normalization" -> normalization(k, c, x, expected);
            case "RandomCropInference" -> {
                Layer crop = new RandomCrop(((Number) c.get("height")).intValue(), ((Number) c.get("width"))
                        .intValue());
                Tensor y = crop.call(x);
                assertEquals(expected.shape(), y.shape(), k + " shape");
                close(k + " inference crop", expected.toFloatArray(), y);
            }
            default -> {
                Layer l = name.startsWith("Random") && c.containsKey("range") ? color(name, c) : augmentation(name, c);
                for (String mode : new String[] {"eager", "traced"}) {
                    Tensor y = mode.equals("eager") ? l.call(new Tensor[] {x}, TRAIN)
                            : TracedFunction.of(in -> new Tensor[] {l.call(in, TRAIN)}).call(x)[0];
                    assertEquals(expected.shape(), y.shape(), k + " shape");
                    close(k + " " + mode, expected.toFloatArray(), y);
                }
                assertArrayEquals(x.toFloatArray(), l.call(x).toFloatArray(), k + ": identity at inference");
            }
        }
    }

    private void normalization(Case k, Map<String, Object> c, Tensor x, Tensor expected) {
        Object axis = c.get("axis");
        int[] axes = axis == null ? new int[0] : axis instanceof Number n ? new int[] {n.intValue()} : ints(axis);
        Tensor data = tensor(k.d().get("data"));
        Normalization whole = new Normalization(axes).adapt(data);
        float[] mean = floats(k.d().get("mean")), variance = floats(k.d().get("variance"));
        assertArrayEquals(mean, toFloats(whole.adaptedMean()), 1e-5f, k + " mean");
        assertArrayEquals(variance, toFloats(whole.adaptedVariance()), 1e-4f, k + " variance");
        // adapting batch by batch gives the same statistics
        int n = data.shape().dim(0);
        List<Tensor> halves = new ArrayList<>();
        int[] size = data.shape().dims();
        int[] begin = new int[size.length];
        size[0] = n / 2;
        halves.add(Ops.slice(data, begin, size));
        begin[0] = n / 2;
        size[0] = n - n / 2;
        halves.add(Ops.slice(data, begin, size));
        Normalization batched = new Normalization(axes).adapt(halves);
        assertArrayEquals(whole.adaptedMean(), batched.adaptedMean(), 1e-9, k + " batched mean");
        assertArrayEquals(whole.adaptedVariance(), batched.adaptedVariance(), 1e-9, k + " batched variance");
        close(k + " output", expected.toFloatArray(), whole.call(x));
        Tensor traced = TracedFunction.of(in -> new Tensor[] {whole.call(in[0])}).call(x)[0];
        close(k + " traced output", expected.toFloatArray(), traced);
        Normalization inverse = new Normalization(axes).mean(toDoubles(mean)).variance(toDoubles(variance))
                .invert(true);
        close(k + " inverted", floats(k.d().get("inverted")), inverse.call(x));
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    private static void close(String what, float[] e, Tensor actual) {
        KerasReference.assertClose(what, e, actual, 1e-5);
    }
}
