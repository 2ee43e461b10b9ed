package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.cli.CommandsTest.assertFails;
import static org.nabla.cli.CommandsTest.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.nn.saving.CheckpointManager;
import org.nabla.onnx.OnnxFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The faults of issue 13's probe: run folders that mix runs, input checked late, hangs, out of memory, messages. */
class CliFaultsTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        data = tmp.resolve("data");
        CommandsTest.writeDataset(data, 64, 32);
    }

    static CommandsTest.Result train(Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--model", "mlp", "--data-dir",
                data.toString(), "--quiet", "--seed", "3", "--out", out.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    static List<String> checkpoints(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run.resolve(CliSupport.CHECKPOINT_DIR))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ckpt-")).sorted().toList();
        }
    }

    @Test
    void aRunFolderHoldsOneRun() throws IOException {
        Path out = tmp.resolve("one-run");
        assertEquals(0, train(out, "--epochs", "3").code());
        assertEquals(List.of("ckpt-00000002.nckpt", "ckpt-00000003.nckpt"), checkpoints(out));

        assertFails(train(out, "--epochs", "1"), "train", "already holds a run");
        assertEquals(List.of("ckpt-00000002.nckpt", "ckpt-00000003.nckpt"), checkpoints(out)); // untouched

        CommandsTest.Result r = train(out, "--epochs", "1", "--overwrite");
        assertEquals(0, r.code(), r.all());
        assertEquals(List.of("ckpt-00000001.nckpt"), checkpoints(out)); // the old run's checkpoints are gone
        assertTrue(Files.readString(out.resolve(CliSupport.CHECKPOINT_DIR).resolve(CheckpointManager.INDEX))
                .contains("ckpt-00000001"));

        r = train(out, "--epochs", "2", "--resume");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("resuming after epoch 1"), r.out());
        assertTrue(r.out().contains("Epoch 2/2") && !r.out().contains("Epoch 1/2"), r.out());
        assertEquals(List.of("ckpt-00000001.nckpt", "ckpt-00000002.nckpt"), checkpoints(out));
        assertEquals(3, Files.readAllLines(out.resolve("history.csv")).size()); // header + both epochs

        assertFails(train(out, "--epochs", "2", "--resume", "--overwrite"), "train", "not both");
        assertFails(train(tmp.resolve("no-such-run"), "--resume"), "train", "no run folder");
    }

    @Test
    void overwriteNeverDeletesAFolderThatIsNotARun() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(out.resolve("thesis.tex"), "precious");
        assertFails(train(out, "--epochs", "1", "--overwrite"), "train", "not a run folder");
        assertTrue(Files.exists(out.resolve("thesis.tex")));
    }

    @Test
    void aKilledRunsTemporaryFilesAreRemovedAtTheNextRun() throws IOException {
        Path out = tmp.resolve("killed");
        assertEquals(0, train(out, "--epochs", "1").code());
        Path ckptTmp = out.resolve("checkpoints/.ckpt-00000002.nckpt7k2j.tmp");
        Path modelTmp = out.resolve(".model9x1.tmp");
        Files.writeString(ckptTmp, "half");
        Files.createDirectories(modelTmp.resolve("inner"));
        CommandsTest.Result r = train(out, "--epochs", "2", "--resume");
        assertEquals(0, r.code(), r.all());
        assertFalse(Files.exists(ckptTmp));
        assertFalse(Files.exists(modelTmp));
    }

    @Test
    void badInputFailsBeforeTheRunFolderIsMade() throws IOException {
        Path out = tmp.resolve("never");
        assertFails(train(out, "--batch-size", "65"), "train", "--batch-size 65 is larger than the 64 training");
        assertFalse(Files.exists(out));
        assertFails(train(out, "--metrics-json", tmp.toString()), "train", "--metrics-json " + tmp + " is a folder");
        assertFails(train(out, "--metrics-json", tmp.resolve("nope/m.json").toString()), "train", "does not exist");
        assertFalse(Files.exists(out));

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertFails(train(file), "train", "--out " + file + " is a file, not a folder");

        assertFails(run("bench-train", "--model", "mlp", "--batch-size", "0"), "bench-train",
                "--batch-size must be positive, got 0");
    }

    @Test
    void importChecksItsArguments() throws IOException {
        assertFails(run("import", tmp.toString(), "--out", tmp.resolve("m").toString()), "import",
                tmp + " is a folder; give an ONNX model file");
        Path onnx = tmp.resolve("linear.onnx");
        OnnxFiles.writeModel(onnx, OnnxCommandsTest.linearClassifier(new float[784 * 10]));
        assertFails(run("import", onnx.toString(), "--out", tmp.resolve("m").toString(), "--input-shape",
                "nosuch=1,2"), "import", "the model has no input 'nosuch'; its inputs are [");
    }

    @Test
    void aHungDotTimesOut() throws IOException {
        Path dot = tmp.resolve("hung-dot");
        Files.writeString(dot, "#!/bin/sh\nexec sleep 600\n");
        Files.setPosixFilePermissions(dot, PosixFilePermissions.fromString("rwxr-xr-x"));
        String oldDot = System.getProperty("nabla.dot");
        System.setProperty("nabla.dot", dot.toString());
        System.setProperty("nabla.dot.timeout", "1");
        try {
            assertFails(run("graph", "--model", "mlp", "--svg", tmp.resolve("g.svg").toString()), "graph",
                    "Graphviz dot did not finish within 1 s");
        } finally {
            if (oldDot == null) System.clearProperty("nabla.dot"); else System.setProperty("nabla.dot", oldDot);
            System.clearProperty("nabla.dot.timeout");
        }
        assertFalse(Files.exists(tmp.resolve("g.svg")));
    }

    /** A command that runs out of memory, as a big model or input does. */
    @Command(name = "hungry")
    static final class Hungry implements Callable<Integer> {
        @Override
        public Integer call() { throw new OutOfMemoryError("Java heap space"); }
    }

    @Test
    void outOfMemoryNamesTheRemedy() {
        CommandLine cli = new CommandLine(new Main()).addSubcommand(new Hungry());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        assertEquals(1, Main.execute(cli, "hungry"));
        String m = err.toString(StandardCharsets.UTF_8);
        assertTrue(m.startsWith("nabla hungry: out of memory (Java heap space) with a maximum heap of "), m);
        assertTrue(m.contains("NABLA_JAVA_OPTS=-Xmx") && m.contains("java -Xmx"), m);
    }
}
