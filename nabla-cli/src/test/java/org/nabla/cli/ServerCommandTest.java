package org.nabla.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nabla server}'s errors (starting a server for real is tested in nabla-distributed's MultiProcessTest). */
class ServerCommandTest {
    @Test
    void aTaskMustBeNamedCompletelyAndItsClusterMustRead(@TempDir Path dir) throws Exception {
        CommandsTest.assertFails(CommandsTest.run("server", "--job", "worker"), "server",
                "give both --job and --task");
        Path bad = dir.resolve("tf_config.json");
        Files.writeString(bad, "{\"cluster\": {\"worker\": [\"localhost\"]}, \"task\": {\"type\": \"worker\"}}");
        CommandsTest.assertFails(CommandsTest.run("server", "--cluster", bad.toString()), "server",
                bad + ": \"cluster\".\"worker\"[0] is \"localhost\", expected \"host:port\"");
    }
}
