package org.nabla.nn.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensor;
import org.nabla.Tensors;

class CheckpointManagerTest {
    @TempDir Path dir;

    private static Map<String, Tensor> value(float v) { return Map.of("w", Tensors.scalar(v)); }

    @Test
    void keepsTheLastNAndTheBestAndRemembersThemAcrossRuns() throws IOException {
        CheckpointManager m = new CheckpointManager(dir, 2);
        assertEquals(Optional.empty(), m.latest());
        for (int step = 1; step <= 4; step++) m.save(value(step), step);
        assertEquals(List.of(m.pathFor(3), m.pathFor(4)), m.checkpoints());
        assertFalse(Files.exists(m.pathFor(1)));
        assertFalse(Files.exists(m.pathFor(2)));
        assertEquals(Optional.of(m.pathFor(4)), m.latest());
        assertArrayEquals(new float[] {4}, Checkpoint.load(m.latest().orElseThrow()).get("w").toFloatArray());

        assertTrue(m.saveBest(value(10), 1, 0.5, true));
        assertFalse(m.saveBest(value(11), 2, 0.7, true));  // worse loss
        assertFalse(m.saveBest(value(11), 2, Double.NaN, true));
        assertTrue(m.saveBest(value(12), 3, 0.25, true));
        assertEquals(0.25, m.bestMetric());
        assertArrayEquals(new float[] {12}, Checkpoint.load(m.best().orElseThrow()).get("w").toFloatArray());

        CheckpointManager again = new CheckpointManager(dir, 2);
        assertEquals(m.checkpoints(), again.checkpoints());
        assertEquals(Optional.of(3L), again.bestStep());
        assertEquals(0.25, again.bestMetric());
        assertEquals(Optional.of(4L), again.latestStep());
        assertEquals("nabla-checkpoint-index 1\nckpt 3 ckpt-00000003.nckpt\nckpt 4 ckpt-00000004.nckpt\n"
                + "last 4 ckpt-00000004.nckpt\nbest 3 best.nckpt 0.25\n", Files.readString(dir.resolve(
                CheckpointManager.INDEX)));
        try (var files = Files.list(dir)) {
            assertEquals(4, files.count()); // two step checkpoints, best, index: no temporaries
        }
    }

    @Test
    void higherIsBetterForAccuracy() throws IOException {
        CheckpointManager m = new CheckpointManager(dir, 1);
        assertTrue(m.saveBest(value(1), 1, 0.9, false));
        assertFalse(m.saveBest(value(2), 2, 0.8, false));
        assertTrue(m.saveBest(value(3), 3, 0.95, false));
    }

    @Test
    void aDamagedIndexIsReportedWithItsPath() throws IOException {
        Files.writeString(dir.resolve(CheckpointManager.INDEX), "nabla-checkpoint-index 1\nckpt x\n");
        String msg = assertThrows(IOException.class, () -> new CheckpointManager(dir, 3)).getMessage();
        assertTrue(msg.contains(CheckpointManager.INDEX) && msg.contains("line 2"), msg);
        assertThrows(IllegalArgumentException.class, () -> new CheckpointManager(dir.resolve("d"), 0));
    }
}
