package org.nabla.nn.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * A process killed with SIGKILL ({@link Process#destroyForcibly()}) at random moments while it writes checkpoints in a
 * loop never leaves a half-written checkpoint where a reader looks: after every kill the index reads, its latest (and
 * every listed) checkpoint loads complete with the values of its step, {@code best.nckpt} too, and every file with a
 * checkpoint's name is complete. It kills {@value #DEFAULT_KILLS} times (about 16 s here);
 * {@code -Dnabla.checkpointCrash.kills=N} runs more or fewer. (Checked the other way too: a child that also writes a
 * checkpoint file directly, not atomically, fails this test within a few kills.)
 */
class CheckpointCrashTest {
    static final int DEFAULT_KILLS = 20;
    private static final int KEEP = 3;
    /** Floats per tensor: 4 MB checkpoints, so a write takes long enough for kills to land inside it. */
    private static final int SIZE = 1 << 20;

    /** The child: saves steps after the latest in {@code args[0]}, forever, printing each step once it is saved. */
    public static void main(String[] args) throws IOException {
        CheckpointManager manager = new CheckpointManager(Path.of(args[0]), KEEP);
        long step = manager.latestStep().orElse(0L);
        while (true) {
            step++;
            Map<String, Tensor> values = valuesOf(step);
            manager.save(values, step);
            manager.saveBest(values, step, -step, true);
            System.out.println("saved " + step);
            System.out.flush();
        }
    }

    /** Every element of every tensor says its step, so a checkpoint mixing two steps or cut short is detected. */
    static Map<String, Tensor> valuesOf(long step) {
        float[] w = new float[SIZE];
        Arrays.fill(w, step);
        long[] counter = {step};
        Map<String, Tensor> values = new LinkedHashMap<>();
        values.put("dense/kernel", Tensor.wrap(DType.FLOAT32, Shape.of(SIZE / 64, 64), w));
        values.put("step", Tensor.wrap(DType.INT64, Shape.of(1), counter));
        return values;
    }

    @Test
    void killedWhileSavingTheLatestCheckpointAlwaysLoadsComplete(@TempDir Path dir) throws Exception {
        int kills = Integer.getInteger("nabla.checkpointCrash.kills", DEFAULT_KILLS);
        Random rnd = new Random(20261206L);
        long lastSeen = 0;
        for (int k = 0; k < kills; k++) {
            Process child = start(dir);
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8));
                StringBuilder other = new StringBuilder(); // the JVM's incubator warning, or the child's error
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("saved ")) other.append(line).append('\n');
                if (line == null) fail("kill " + k + ": the child ended before saving:\n" + other);
                // It has saved at least one step and is in its loop now.
                Thread.sleep(rnd.nextInt(120));
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child did not end");
            }
            long latest = checkAfterKill(dir, k);
            assertTrue(latest > lastSeen, "kill " + k + ": no progress past step " + lastSeen);
            lastSeen = latest;
        }
    }

    /** What a reader finds after a kill; returns the latest step. */
    private static long checkAfterKill(Path dir, int kill) throws IOException {
        CheckpointManager manager = new CheckpointManager(dir, KEEP);
        long latest = manager.latestStep().orElseThrow(() -> new AssertionError("kill " + kill + ": no checkpoint"));
        assertEquals(manager.pathFor(latest), manager.latest().orElseThrow());
        for (Path p : manager.checkpoints()) assertComplete(p, kill);
        assertComplete(manager.best().orElseThrow(), kill);
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().endsWith(Checkpoint.EXTENSION)) assertComplete(p, kill);
            }
        }
        return latest;
    }

    private static void assertComplete(Path file, int kill) throws IOException {
        Map<String, Tensor> values;
        try {
            values = Checkpoint.load(file);
        } catch (IOException e) {
            throw new AssertionError("kill " + kill + ": " + file.getFileName() + " is visible but does not load", e);
        }
        long step = values.get("step").toLongArray()[0];
        float[] w = values.get("dense/kernel").toFloatArray();
        float[] expected = new float[SIZE];
        Arrays.fill(expected, step);
        assertArrayEquals(expected, w, "kill " + kill + ": " + file.getFileName() + " mixes steps");
    }

    private static Process start(Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), CheckpointCrashTest.class.getName(), dir.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }
}
