package org.nabla.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensor;
import org.nabla.runtime.Session;
import org.nabla.runtime.SessionOptions;

/**
 * Two worker processes (separate JVMs started from this test's class path with {@link ServerMain}, the way
 * {@code nabla server} starts a task) on loopback: a graph placed on both runs with values crossing both ways, through
 * a master in this process and through either worker's master, and equals a local session's result; then one worker
 * is killed (SIGKILL) and the next step fails naming it within seconds. The processes are always killed at the end.
 */
@Timeout(90)
class MultiProcessTest {
    private static final DistributedOptions OPTIONS = DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(5))
            .stepTimeout(Duration.ofSeconds(30));

    /** A worker JVM and the lines it printed. */
    record Task(Process process, List<String> output, CompletableFuture<String> ready) {}

    private static Task start(Path clusterFile, int index) throws IOException {
        return startJava(ServerMain.class.getName(), List.of("--cluster", clusterFile.toString(), "--job", "worker",
                "--task", String.valueOf(index)), "worker " + index);
    }

    /** A JVM on this test's class path running {@code mainClass}; ready once it prints {@link ServerMain#READY}. */
    static Task startJava(String mainClass, List<String> args, String name) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xss4m", "-Xmx256m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", cp, mainClass));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith(ServerMain.READY)) ready.complete(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
            ready.completeExceptionally(new IllegalStateException(name + " exited: " + output));
        });
        return new Task(p, output, ready);
    }

    static void kill(Task t) throws InterruptedException {
        if (t == null) return;
        t.process().destroyForcibly();
        t.process().waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void aGraphRunsAcrossTwoWorkerProcesses(@TempDir Path dir) throws Exception {
        int p0 = Cluster.freePort();
        int p1 = Cluster.freePort();
        Path clusterFile = dir.resolve("cluster.json");
        Files.writeString(clusterFile, "{\"cluster\": {\"worker\": [\"localhost:" + p0 + "\", \"localhost:" + p1
                + "\"]}}");
        ClusterSpec cluster = TfConfig.parseCluster(Files.readString(clusterFile), "cluster.json");
        Task w0 = null;
        Task w1 = null;
        try {
            long t0 = System.nanoTime();
            w0 = start(clusterFile, 0);
            w1 = start(clusterFile, 1);
            String ready0 = w0.ready().get(60, TimeUnit.SECONDS);
            String ready1 = w1.ready().get(60, TimeUnit.SECONDS);
            System.out.printf("two worker JVMs ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertTrue(ready0.startsWith("nabla server: /job:worker/replica:0/task:0 listening on port " + p0),
                    ready0);
            assertTrue(ready1.contains("devices [/job:worker/replica:0/task:1/device:CPU:0]"), ready1);

            float[][] xs = {{1, -2, 0.5f}, {0.25f, 3, -1}, {0, 0, 1}};
            Cluster.PingPong local = Cluster.PingPong.local();
            List<Tensor> expected;
            try (Session s = new Session(local.g(), SessionOptions.defaults().cpuDevices(2))) {
                expected = s.run(List.of(local.d(), local.c(), local.h()), Map.of(local.x(), xs));
            }
            Cluster.PingPong m = Cluster.PingPong.acrossWorkers();
            try (DistributedSession viaWorker1 = DistributedSession.connect("grpc://localhost:" + p1, m.g(), OPTIONS)) {
                check(expected, viaWorker1.run(List.of(m.d(), m.c(), m.h()), Map.of(m.x(), xs)));
            }
            try (DistributedSession s = DistributedSession.create(cluster, m.g(), OPTIONS)) {
                long t1 = System.nanoTime();
                for (int i = 0; i < 5; i++) check(expected, s.run(List.of(m.d(), m.c(), m.h()), Map.of(m.x(), xs)));
                System.out.printf("5 steps across two processes in %d ms%n", (System.nanoTime() - t1) / 1_000_000);

                w1.process().destroyForcibly();        // kill -9
                w1.process().waitFor(10, TimeUnit.SECONDS);
                long t2 = System.nanoTime();
                DistributedException e = assertThrows(DistributedException.class,
                        () -> s.run(List.of(m.d()), Map.of(m.x(), xs)));
                long ms = (System.nanoTime() - t2) / 1_000_000;
                assertTrue(ms < 5000, "the step failed within seconds, took " + ms + " ms");
                assertTrue(e.getMessage().contains("task /job:worker/replica:0/task:1 (localhost:" + p1 + ")"),
                        e.getMessage());
            }
        } finally {
            kill(w0);
            kill(w1);
        }
    }

    private static void check(List<Tensor> expected, List<Tensor> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).shape(), actual.get(i).shape());
            assertArrayEquals(expected.get(i).toFloatArray(), actual.get(i).toFloatArray(), 0f);
        }
    }
}
