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

    @Test
    void tlsAndTokenOptionsAreChecked(@TempDir Path dir) throws Exception {
        CommandsTest.assertFails(CommandsTest.run("server", "--job", "worker", "--task", "0", "--port", "0",
                "--tls-cert", dir.resolve("task.pem").toString()), "server",
                "TLS needs both a certificate chain (--tls-cert) and its private key (--tls-key), got only the "
                        + "certificate");
        CommandsTest.assertFails(CommandsTest.run("server", "--job", "worker", "--task", "0", "--port", "0",
                "--token-file", dir.resolve("missing").toString()), "server",
                "cannot read the token file " + dir.resolve("missing"));
        Path empty = dir.resolve("empty-token");
        Files.writeString(empty, "\n");
        CommandsTest.assertFails(CommandsTest.run("server", "--job", "worker", "--task", "0", "--port", "0",
                "--token-file", empty.toString()), "server", "the token in " + empty + " is empty");
    }
}
