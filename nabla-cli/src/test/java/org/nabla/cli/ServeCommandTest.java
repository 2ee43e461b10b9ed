package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nabla serve}'s errors and default name (the server itself is tested in nabla-serving's ModelServerTest). */
class ServeCommandTest {
    @Test
    void aMissingModelIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nothing");
        CommandsTest.assertFails(CommandsTest.run("serve", "--model", missing.toString(), "--port", "0"), "serve",
                missing + ": no such saved model directory or ONNX file");
    }

    @Test
    void theNameDefaultsToTheRunOrFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("run 7/model"));
        assertEquals("run_7", ServeCommand.defaultName(dir.resolve("run 7/model")));
        assertEquals("run_7", ServeCommand.defaultName(dir.resolve("run 7")));
        Files.writeString(dir.resolve("mnist.onnx"), "");
        assertEquals("mnist", ServeCommand.defaultName(dir.resolve("mnist.onnx")));
    }
}
