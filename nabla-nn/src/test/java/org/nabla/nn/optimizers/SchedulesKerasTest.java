package org.nabla.nn.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import org.nabla.io.Json;

/** Polynomial, inverse-time and warm-up cosine schedules against Keras 3.15 at steps 0..59 (float32 there). */
class SchedulesKerasTest {
    record Case(String label, Map<String, Object> d) {
        @Override public String toString() { return label; }
    }

    @SuppressWarnings("unchecked")
    static Stream<Case> cases() throws IOException {
        try (InputStream in = SchedulesKerasTest.class.getResourceAsStream("/keras/schedules.json")) {
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            List<Case> out = new ArrayList<>();
            for (Object c : (List<Object>) root.get("cases")) {
                Map<String, Object> m = (Map<String, Object>) c;
                out.add(new Case(m.get("name") + " " + m.get("config"), m));
            }
            return out.stream();
        }
    }

    @SuppressWarnings("unchecked")
    private static LearningRateSchedule schedule(Map<String, Object> d) {
        Map<String, Object> c = (Map<String, Object>) d.get("config");
        java.util.function.ToDoubleFunction<String> n = k -> ((Number) c.get(k)).doubleValue();
        return switch ((String) d.get("name")) {
            case "polynomial" -> LearningRateSchedule.polynomialDecay(n.applyAsDouble("initial"),
                    (long) n.applyAsDouble("decay_steps"), n.applyAsDouble("end"), n.applyAsDouble("power"),
                    (Boolean) c.get("cycle"));
            case "inverse_time" -> LearningRateSchedule.inverseTimeDecay(n.applyAsDouble("initial"),
                    (long) n.applyAsDouble("decay_steps"), n.applyAsDouble("rate"), (Boolean) c.get("staircase"));
            case "cosine_warmup" -> LearningRateSchedule.cosineDecay(n.applyAsDouble("initial"),
                    (long) n.applyAsDouble("decay_steps"), n.applyAsDouble("alpha"), n.applyAsDouble("warmup_target"),
                    (long) n.applyAsDouble("warmup_steps"));
            default -> throw new IllegalArgumentException("unknown schedule " + d.get("name"));
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesKeras(Case c) {
        LearningRateSchedule s = schedule(c.d());
        List<?> rates = (List<?>) c.d().get("rates");
        for (int step = 0; step < rates.size(); step++) {
            double e = ((Number) rates.get(step)).doubleValue();
            assertEquals(e, s.at(step), 2e-7 * (1 + Math.abs(e)), c + " at step " + step);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.polynomialDecay(1, 0, 0, 1, false));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.inverseTimeDecay(1, 0, 1, false));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosineDecay(0, 10, 0, 1, -1));
    }
}
