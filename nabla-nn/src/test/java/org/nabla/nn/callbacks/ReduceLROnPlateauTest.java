package org.nabla.nn.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.optimizers.SGD;

/** Keras' plateau rule, hand-worked on a sequence of monitored values. */
class ReduceLROnPlateauTest {
    private static List<Double> run(ReduceLROnPlateau cb, double... values) {
        Sequential m = new Sequential(new Dense(1));
        m.input(1);
        m.compile(new SGD(1.0), "mse");
        cb.setModel(m);
        cb.onTrainBegin(new HashMap<>());
        List<Double> rates = new ArrayList<>();
        for (int e = 0; e < values.length; e++) {
            Map<String, Double> logs = new HashMap<>(Map.of("val_loss", values[e]));
            cb.onEpochEnd(e, logs);
            assertTrue(logs.containsKey("learning_rate"));
            rates.add((double) (float) m.optimizer().learningRate());
        }
        return rates;
    }

    @Test
    void reducesAfterPatienceEpochsWithoutImprovementThenCoolsDown() {
        // improves, improves, then flat: 2 epochs of patience -> x0.5 after epoch 3; the cooldown epoch (4) resets
        // the count, which (as in Keras) restarts in that same epoch, so epoch 5 reduces again
        List<Double> rates = run(new ReduceLROnPlateau("val_loss", 0.5, 2, "auto").cooldown(1),
                1.0, 0.8, 0.8, 0.80001, 0.9, 0.85, 0.81, 0.7);
        assertEquals(List.of(1.0, 1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.25), rates);
    }

    @Test
    void neverBelowMinLrAndChecksItsArguments() {
        List<Double> rates = run(new ReduceLROnPlateau("val_loss", 0.1, 1, "min").minLr(0.05), 1, 1, 1, 1);
        assertEquals(List.of(1.0, (double) (float) 0.1, (double) (float) 0.05, (double) (float) 0.05), rates);
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau("val_loss", 1.5, 1, "min"));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau("val_loss", 0.5, 1, "up"));
        String missing = assertThrows(IllegalStateException.class,
                () -> run(new ReduceLROnPlateau("val_acc", 0.5, 1, "auto"), 1.0)).getMessage();
        assertTrue(missing.contains("no 'val_acc'"), missing);
    }
}
