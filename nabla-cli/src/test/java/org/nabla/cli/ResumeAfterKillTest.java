package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensor;
import org.nabla.nn.saving.Checkpoint;

/**
 * Issue 16's resumable training: a `nabla train` process killed with SIGKILL during epoch 2, then resumed with
 * `--resume`, ends with exactly the weights and optimizer state of an uninterrupted run (same data order, dropout
 * stream and Adam state from the epoch-1 checkpoint).
 */
class ResumeAfterKillTest {
    @TempDir
    Path tmp;

    private static List<String> args(Path data, Path out) {
        return new ArrayList<>(List.of("train", "--model", "mlp", "--data-dir", data.toString(), "--epochs", "3",
                "--batch-size", "8", "--seed", "5", "--out", out.toString(), "--quiet", "--no-tensorboard"));
    }

    private static Map<String, Tensor> lastCheckpoint(Path run, int epoch) throws IOException {
        return new TreeMap<>(Checkpoint.load(run.resolve(CliSupport.CHECKPOINT_DIR)
                .resolve(String.format("ckpt-%08d.nckpt", epoch))));
    }

    private static boolean indexNames(Path index, String checkpoint) {
        try {
            return Files.exists(index) && Files.readString(index).contains(checkpoint);
        } catch (IOException e) {
            return false;   // being replaced at this moment
        }
    }

    @Test
    void aRunKilledInEpochTwoResumesToTheUninterruptedWeights() throws Exception {
        Path data = tmp.resolve("data");
        CommandsTest.writeDataset(data, 3000, 32);

        Path whole = tmp.resolve("whole");
        CommandsTest.Result r = CommandsTest.run(args(data, whole).toArray(String[]::new));
        assertEquals(0, r.code(), r.all());

        Path killed = tmp.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(args(data, killed));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile()).start();
        // epoch 1 is done when the checkpoint index names its checkpoint (written after the checkpoint itself)
        Path index = killed.resolve(CliSupport.CHECKPOINT_DIR).resolve("checkpoint.index");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!indexNames(index, "ckpt-00000001") && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(2);
        assertTrue(indexNames(index, "ckpt-00000001"), "the child never finished epoch 1: "
                + Files.readString(tmp.resolve("child.log")));
        p.destroyForcibly();   // SIGKILL, early in epoch 2
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(killed.resolve(CliSupport.CHECKPOINT_DIR).resolve("ckpt-00000002.nckpt")),
                "the kill came after epoch 2");
        assertFalse(Files.exists(killed.resolve(CliSupport.MODEL_DIR)));

        List<String> resume = args(data, killed);
        resume.add("--resume");
        r = CommandsTest.run(resume.toArray(String[]::new));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("resuming after epoch 1"), r.out());

        Map<String, Tensor> expected = lastCheckpoint(whole, 3), actual = lastCheckpoint(killed, 3);
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            Tensor e = expected.get(k), a = actual.get(k);
            assertEquals(e.spec(), a.spec(), k);
            switch (e.dtype().storage()) {
                case FLOAT -> assertArrayEquals(e.toFloatArray(), a.toFloatArray(), k);
                case LONG -> assertArrayEquals(e.toLongArray(), a.toLongArray(), k);
                default -> assertArrayEquals(e.toIntArray(), a.toIntArray(), k);
            }
        }
        assertEquals(Files.readAllLines(whole.resolve("history.csv")), Files.readAllLines(killed.resolve("history.csv")));
    }
}
