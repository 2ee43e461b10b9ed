package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.distributed.ClusterSpec;
import org.nabla.distributed.Server;
import org.nabla.nn.saving.Checkpoint;
import org.nabla.nn.saving.HistoryCsv;

/**
 * {@code nabla train --cluster}: data-parallel training driven by a coordinator over worker servers (in this JVM, and
 * as separate processes from {@code cluster-local} with one killed mid-run and the run resumed from its checkpoint).
 */
class ClusterTrainingTest {
    @TempDir
    Path tmp;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void trainsOnTwoWorkersAndTheChiefWritesTheRunFolder() throws Exception {
        Path data = tmp.resolve("data");
        CommandsTest.writeDataset(data, 256, 64);
        List<String> addresses = List.of("localhost:" + freePort(), "localhost:" + freePort());
        ClusterSpec spec = ClusterSpec.of(Map.of("worker", addresses));
        Path clusterFile = tmp.resolve("cluster.json");
        Files.writeString(clusterFile, "{\"cluster\": {\"worker\": [\"" + addresses.get(0) + "\", \"" + addresses.get(1)
                + "\"]}}");
        List<Server> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) servers.add(Server.start(new Server.Config(spec, "worker", i, -1, 1, null)));
            Path out = tmp.resolve("run");
            CommandsTest.Result r = CommandsTest.run("train", "--cluster", clusterFile.toString(), "--model", "mlp",
                    "--data-dir", data.toString(), "--epochs", "2", "--batch-size", "32", "--out", out.toString(),
                    "--metrics-json", tmp.resolve("m.json").toString());
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("2 replicas"), r.out());
            assertTrue(r.out().contains("epoch 1/2") && r.out().contains("epoch 2/2"), r.out());
            assertTrue(r.out().contains("test accuracy"), r.out());
            String metrics = Files.readString(out.resolve("metrics.json"));
            assertTrue(metrics.contains("\"replicas\": 2") && metrics.contains("\"epochs\": 2"), metrics);
            assertEquals(metrics, Files.readString(tmp.resolve("m.json")));
            assertTrue(Files.isDirectory(out.resolve(CliSupport.MODEL_DIR)));
            assertEquals(2, HistoryCsv.read(out.resolve("history.csv")).get("loss").length);
            // the saved model is usable: evaluate it
            CommandsTest.Result e = CommandsTest.run("evaluate", "--model", out.resolve(CliSupport.MODEL_DIR).toString(),
                    "--data-dir", data.toString());
            assertEquals(0, e.code(), e.all());
        } finally {
            for (Server s : servers) s.close();
        }
    }

    @Test
    void theChiefTaskIsReplicaZeroBesideTheWorkers() throws Exception {
        Path data = tmp.resolve("data");
        CommandsTest.writeDataset(data, 128, 32);
        String chief = "localhost:" + freePort(), worker = "localhost:" + freePort();
        ClusterSpec spec = ClusterSpec.of(Map.of("chief", List.of(chief), "worker", List.of(worker)));
        Path clusterFile = tmp.resolve("tf_config.json");
        // a TF_CONFIG file as a TFJob writes it (its task part is ignored by the coordinator)
        Files.writeString(clusterFile, "{\"cluster\": {\"chief\": [\"" + chief + "\"], \"worker\": [\"" + worker
                + "\"]}, \"task\": {\"type\": \"chief\", \"index\": 0}}");
        try (Server c = Server.start(new Server.Config(spec, "chief", 0, -1, 1, null));
             Server w = Server.start(new Server.Config(spec, "worker", 0, -1, 1, null))) {
            assertEquals(List.of("/job:chief/replica:0/task:0", "/job:worker/replica:0/task:0"),
                    Server.replicaTasks(spec, "worker").stream().map(Object::toString).toList());
            assertEquals(0, c.collectives().rank());
            assertEquals(1, w.collectives().rank());
            Path out = tmp.resolve("run");
            CommandsTest.Result r = CommandsTest.run("train", "--cluster", clusterFile.toString(), "--model", "mlp",
                    "--data-dir", data.toString(), "--epochs", "1", "--out", out.toString());
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("2 replicas (the chief and worker tasks [" + chief + ", " + worker + "])"),
                    r.out());
            assertTrue(Files.readString(out.resolve("metrics.json")).contains("\"replicas\": 2"));
        }
    }

    @Test
    void aKilledWorkerIsRestartedAndTrainingResumesFromTheLastCheckpoint() throws Exception {
        Path data = tmp.resolve("data");
        CommandsTest.writeDataset(data, 2048, 64);
        ByteArrayOutputStream workerLog = new ByteArrayOutputStream();
        Path out = tmp.resolve("run");
        int epochs = 12;
        try (LocalCluster cluster = LocalCluster.start(2, 0, tmp.resolve("cluster.json"), true, List.of(),
                new PrintStream(workerLog, true, StandardCharsets.UTF_8))) {
            CompletableFuture<CommandsTest.Result> run = CompletableFuture.supplyAsync(() -> CommandsTest.run("train",
                    "--cluster", tmp.resolve("cluster.json").toString(), "--model", "mlp", "--data-dir",
                    data.toString(), "--epochs", Integer.toString(epochs), "--batch-size", "32", "--out",
                    out.toString(), "--max-restarts", "2", "--restart-wait", "120"));
            Path first = out.resolve(CliSupport.CHECKPOINT_DIR).resolve("ckpt-00000001" + Checkpoint.EXTENSION);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(first) && !run.isDone() && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(Files.exists(first), "no first checkpoint; workers: " + workerLog);
            cluster.process(1).destroyForcibly();   // SIGKILL: no goodbye to the ring or the coordinator
            CommandsTest.Result r = run.get(240, TimeUnit.SECONDS);
            String log = r.all() + "\n--- workers:\n" + workerLog.toString(StandardCharsets.UTF_8);
            assertEquals(0, r.code(), log);
            assertTrue(cluster.restarts() >= 1, log);
            assertTrue(r.err().contains("task:1") && r.err().contains("restart 1 of 2"), log);
            assertTrue(r.out().contains("resuming after epoch"), log);
            String metrics = Files.readString(out.resolve("metrics.json"));
            assertTrue(metrics.contains("\"epochs\": " + epochs), metrics);
            assertEquals(epochs, HistoryCsv.read(out.resolve("history.csv")).get("loss").length, log);
            // no checkpoint was lost or torn: the last ones all load
            List<Path> ckpts;
            try (var files = Files.list(out.resolve(CliSupport.CHECKPOINT_DIR))) {
                ckpts = files.filter(p -> p.toString().endsWith(Checkpoint.EXTENSION)).toList();
            }
            assertTrue(!ckpts.isEmpty(), "no checkpoints");
            for (Path p : ckpts) assertTrue(!Checkpoint.load(p).isEmpty(), p.toString());
        }
    }
}
