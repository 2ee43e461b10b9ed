package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.cli.CommandsTest.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nabla train} writes TensorBoard logs into the run folder unless told otherwise. */
class TrainTensorBoardTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        data = tmp.resolve("data");
        CommandsTest.writeDataset(data, 64, 32);
    }

    static CommandsTest.Result train(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--model", "mlp", "--data-dir", data.toString(),
                "--quiet", "--seed", "3", "--out", out.toString()));
        args.addAll(List.of(more));
        return CommandsTest.run(args.toArray(String[]::new));
    }

    static List<Path> eventFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
        }
    }

    @Test
    void logsGoToTheRunFolderAndAResumedRunAddsAFile() throws IOException {
        Path out = tmp.resolve("default");
        CommandsTest.Result r = train(out, "--epochs", "1");
        assertEquals(0, r.code(), r.all());
        for (String run : List.of("train", "validation")) {
            List<Path> files = eventFiles(out.resolve("tensorboard").resolve(run));
            assertEquals(1, files.size(), run);
            // TFRecord framing of the 24-byte file-version event, as every TensorFlow event file starts
            assertEquals("1800000000000000a37f4b22",
                    HexFormat.of().formatHex(Files.readAllBytes(files.get(0)), 0, 12));
        }
        assertEquals(1, eventFiles(out.resolve("tensorboard")).size(), "the hyperparameters");

        r = train(out, "--epochs", "2", "--resume");
        assertEquals(0, r.code(), r.all());
        assertEquals(2, eventFiles(out.resolve("tensorboard/train")).size(), "a resumed run writes a new file");

        r = train(out, "--epochs", "1", "--overwrite");
        assertEquals(0, r.code(), r.all());
        assertEquals(1, eventFiles(out.resolve("tensorboard/train")).size(), "--overwrite deletes the old logs");
    }

    @Test
    void tensorboardNamesTheFolderAndNoTensorboardTurnsItOff() throws IOException {
        Path logs = tmp.resolve("elsewhere");
        CommandsTest.Result r = train(tmp.resolve("named"), "--epochs", "1", "--tensorboard", logs.toString());
        assertEquals(0, r.code(), r.all());
        assertEquals(1, eventFiles(logs.resolve("train")).size());
        assertFalse(Files.exists(tmp.resolve("named/tensorboard")));

        r = train(tmp.resolve("off"), "--epochs", "1", "--no-tensorboard");
        assertEquals(0, r.code(), r.all());
        assertFalse(Files.exists(tmp.resolve("off/tensorboard")));
        assertTrue(Files.exists(tmp.resolve("off/metrics.json")));

        assertFails(train(tmp.resolve("both"), "--tensorboard", logs.toString(), "--no-tensorboard"), "train",
                "not both");
    }
}
