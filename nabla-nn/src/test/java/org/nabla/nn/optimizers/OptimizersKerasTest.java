package org.nabla.nn.optimizers;

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
import org.nabla.TracedFunction;
import org.nabla.Variable;
import org.nabla.io.Json;

/**
 * Adagrad, Adadelta, Adamax, Lion, Nadam and Ftrl, and Keras 3's options of every optimizer (weight decay,
 * clipvalue, the moving average with its overwrites and final swap), against Keras 3.15 (JAX backend, float32): four fixed gradients applied to a
 * fixed variable, compared after every step, eagerly and in a traced step; from
 * {@code scripts/references/keras_optimizers_reference.py}'s checked-in output. Each is also rebuilt from its
 * config ({@link Optimizers#fromConfig}).
 */
class OptimizersKerasTest {
    record Case(String label, Map<String, Object> data, float[] init, List<float[]> grads) {
        @Override public String toString() { return label; }
    }

    private static float[] floats(Object o) {
        List<?> l = (List<?>) o;
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) f[i] = ((Number) l.get(i)).floatValue();
        return f;
    }

    @SuppressWarnings("unchecked")
    static Stream<Case> cases() throws IOException {
        try (InputStream in = OptimizersKerasTest.class.getResourceAsStream("/keras/optimizers.json")) {
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            List<float[]> grads = ((List<Object>) root.get("grads")).stream().map(OptimizersKerasTest::floats).toList();
            List<Case> out = new ArrayList<>();
            for (Object c : (List<Object>) root.get("cases")) {
                Map<String, Object> m = (Map<String, Object>) c;
                out.add(new Case(m.get("name") + " " + m.get("config"), m, floats(root.get("init")), grads));
            }
            return out.stream();
        }
    }

    @SuppressWarnings("unchecked")
    private static Optimizer optimizer(Map<String, Object> d) {
        Map<String, Double> config = new java.util.HashMap<>();
        ((Map<String, Object>) d.get("config")).forEach((k, v) -> config.put(k, ((Number) v).doubleValue()));
        return Optimizers.fromConfig((String) d.get("name"), config);
    }

    private static Tensor t(float[] v) { return Tensor.wrap(DType.FLOAT32, Shape.of(2, 3), v.clone()); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesKerasStepByStep(Case c) {
        List<Object> steps = (List<Object>) c.data().get("steps");
        for (boolean traced : new boolean[] {false, true}) {
            Optimizer opt = optimizer(c.data());
            Variable w = Variable.of("w" + traced + c.label().hashCode(), t(c.init()), true);
            TracedFunction step = TracedFunction.of(g -> {
                opt.applyGradients(List.of(g[0]), List.of(w));
                return new Tensor[] {w.read()};
            });
            for (int s = 0; s < c.grads().size(); s++) {
                if (traced) step.call(t(c.grads().get(s)));
                else opt.applyGradients(List.of(t(c.grads().get(s))), List.of(w));
                float[] expected = floats(steps.get(s)), got = w.read().toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], got[i], 2e-6 * (1 + Math.abs(expected[i])),
                            c + (traced ? " traced" : " eager") + " step " + (s + 1) + " element " + i);
                }
            }
            if (c.data().containsKey("final")) {
                opt.finalizeVariableValues(List.of(w));   // fit's end: the weights take their moving averages
                float[] expected = floats(c.data().get("final")), got = w.read().toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], got[i], 2e-6 * (1 + Math.abs(expected[i])), c + " finalized " + i);
                }
            }
            assertEquals(c.grads().size(), opt.step());
            assertEquals(opt.config(), Optimizers.fromConfig(opt.name(), opt.config()).config());
        }
    }

    @Test
    void badConstantsAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adagrad(0.1, -1, 1e-7)).getMessage()
                .contains("Adagrad: need initial_accumulator_value >= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adadelta(1, 1, 1e-7)).getMessage()
                .contains("Adadelta: need 0 <= rho < 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adamax(1, 0.9, 1.5, 1e-7)).getMessage()
                .contains("Adamax"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Lion(1, 2, 0.9)).getMessage()
                .contains("Lion"));
    }
}
