package org.nabla.nn.losses;

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
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.autodiff.GradientTape;
import org.nabla.io.Json;

/**
 * The losses beyond MNIST against Keras 3.15 (JAX backend, float32): value and gradient with respect to the
 * predictions, from {@code scripts/references/keras_losses_reference.py}'s checked-in output.
 */
class LossesKerasTest {
    record Case(String label, Map<String, Object> data) {
        @Override public String toString() { return label; }
    }

    @SuppressWarnings("unchecked")
    static Stream<Case> cases() throws IOException {
        try (InputStream in = LossesKerasTest.class.getResourceAsStream("/keras/losses.json")) {
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            List<Case> out = new ArrayList<>();
            for (Object c : (List<Object>) root.get("cases")) {
                Map<String, Object> m = (Map<String, Object>) c;
                out.add(new Case(m.get("name") + " " + m.get("options"), m));
            }
            return out.stream();
        }
    }

    @SuppressWarnings("unchecked")
    private static Tensor tensor(Map<String, Object> d, String key) {
        int[] shape = ((List<Object>) d.get("shape")).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
        List<Object> v = (List<Object>) d.get(key);
        float[] f = new float[v.size()];
        for (int i = 0; i < f.length; i++) f[i] = ((Number) v.get(i)).floatValue();
        return Tensor.wrap(DType.FLOAT32, Shape.of(shape), f);
    }

    @SuppressWarnings("unchecked")
    private static Loss loss(Map<String, Object> d) {
        Map<String, Object> o = (Map<String, Object>) d.get("options");
        boolean logits = Boolean.TRUE.equals(o.get("from_logits"));
        double smoothing = o.containsKey("label_smoothing") ? ((Number) o.get("label_smoothing")).doubleValue() : 0;
        return switch ((String) d.get("name")) {
            case "huber" -> Losses.huber(o.containsKey("delta") ? ((Number) o.get("delta")).doubleValue() : 1.0);
            case "kl_divergence" -> Losses.klDivergence();
            case "hinge" -> Losses.hinge();
            case "squared_hinge" -> Losses.squaredHinge();
            case "cosine_similarity" -> Losses.cosineSimilarity();
            case "poisson" -> Losses.poisson();
            case "log_cosh" -> Losses.logCosh();
            case "binary_focal_crossentropy" -> o.isEmpty() ? Losses.get("binary_focal_crossentropy")
                    : Losses.binaryFocalCrossentropy(((Number) o.get("gamma")).doubleValue(),
                            ((Number) o.get("alpha")).doubleValue(), true, logits);
            case "categorical_crossentropy" -> Losses.categoricalCrossentropy(logits, smoothing);
            case "binary_crossentropy" -> Losses.binaryCrossentropy(logits, smoothing);
            default -> throw new IllegalArgumentException("unknown loss " + d.get("name"));
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesKeras(Case c) {
        Map<String, Object> d = c.data();
        Tensor yTrue = tensor(d, "y_true"), yPred = tensor(d, "y_pred"), expectedGrad = tensor(d, "grad");
        double expected = ((Number) d.get("loss")).doubleValue();
        try (GradientTape tape = new GradientTape()) {
            tape.watch(yPred);
            Tensor l = loss(d).call(yTrue, yPred);
            assertEquals(expected, l.doubleValue(), 2e-6 * (1 + Math.abs(expected)), c + " value");
            float[] g = tape.gradient(l, yPred).toFloatArray(), e = expectedGrad.toFloatArray();
            for (int i = 0; i < e.length; i++) assertEquals(e[i], g[i], 1e-5 * (1 + Math.abs(e[i])), c + " grad " + i);
        }
    }

    @Test
    void badOptionsAndShapesAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Losses.huber(0)).getMessage()
                .contains("huber: delta must be positive"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Losses.categoricalCrossentropy(false, 1.5))
                .getMessage().contains("label smoothing must be in [0, 1], got 1.5"));
        Tensor a = Tensors.of(new float[6], 2, 3), b = Tensors.of(new float[4], 2, 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Losses.get("log_cosh").call(a, b))
                .getMessage().contains("log_cosh: targets of shape"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Losses.get("nope")).getMessage()
                .contains("binary_focal_crossentropy"));
    }
}
