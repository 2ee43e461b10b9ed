package org.nabla.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.nabla.device.DeviceSpec;
import org.nabla.distributed.ClusterSpec;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.Server;
import org.nabla.distributed.ServerMain;
import org.nabla.distributed.TfConfig;
import org.nabla.distributed.job.JobClient;
import org.nabla.io.AtomicFiles;
import org.nabla.io.TextFiles;

/**
 * {@code nabla train --cluster FILE | --tf-config}: coordinates a data-parallel run over the chief and worker tasks of
 * a cluster. Each runs the "train" job ({@link TrainJob}) as one replica; the first (the chief task, else worker 0)
 * is the chief replica, which validates,
 * checkpoints each epoch and writes the run folder; this process prints the chief's progress and, with
 * --max-restarts, runs the job again from the last checkpoint when a task was lost and came back.
 */
final class ClusterTraining {
    /** The job whose tasks are the replicas, with the chief's if the cluster has one (TensorFlow's convention). */
    static final String REPLICAS = "worker";

    private ClusterTraining() {}

    static int coordinate(TrainCommand cmd) throws Exception {
        cmd.checkOptions();
        if (cmd.cluster != null && cmd.tfConfig) {
            throw new IllegalArgumentException("train: give --cluster FILE or --tf-config, not both");
        }
        ClusterSpec cluster;
        String source;
        TfConfig self = null;
        if (cmd.tfConfig) {
            self = TfConfig.fromEnvironment();
            if (self == null) throw new IllegalArgumentException("train --tf-config: the TF_CONFIG variable is not set");
            cluster = self.cluster();
            source = "TF_CONFIG";
        } else {
            if (!Files.isRegularFile(cmd.cluster)) {
                throw new IllegalArgumentException("train --cluster: no such file: " + cmd.cluster);
            }
            cluster = TfConfig.parseCluster(TextFiles.readUtf8(cmd.cluster), cmd.cluster.toString());
            source = cmd.cluster.toString();
        }
        List<DeviceSpec> replicas = Server.replicaTasks(cluster, REPLICAS);
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("train: " + source + " has no \"chief\" or \"" + REPLICAS + "\" task "
                    + "(the replicas are their tasks): " + cluster.describe());
        }
        DistributedOptions options = DistributedOptions.defaults().security(cmd.security.security());
        Server own = null;
        if (self != null) {
            // under TF_CONFIG every task runs this same command: every task serves (the chief and the workers as
            // replicas), and the first replica (the chief, else worker 0) also coordinates
            boolean coordinates = self.task().toString().equals(replicas.getFirst().toString());
            own = Server.start(Server.Config.of(self).withOptions(options));
            ServerMain.announce(own, System.out);
            if (!coordinates) {
                try (Server s = own) {
                    Runtime.getRuntime().addShutdownHook(new Thread(s::close, "nabla-server-shutdown"));
                    s.awaitTermination();
                }
                return 0;
            }
        }
        try (Server s = own; JobClient client = new JobClient(cluster, replicas, options)) {
            Path dir = cmd.runFolder().toAbsolutePath();
            // the replicas always resume from the folder's last checkpoint: a new job needs a folder of its own
            RunFolder.prepare(dir, cmd.resume, cmd.overwrite);
            Files.createDirectories(dir);
            String runId = dir.getFileName() + "-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
            System.out.println("nabla train: " + replicas.size() + " replicas (" + (cluster.tasks("chief").isEmpty()
                    ? "" : "the chief and ") + REPLICAS + " tasks " + client.addresses() + "); run folder " + dir);
            Map<Integer, String> results = client.run("train", runId, cmd.replicaArguments(dir),
                    line -> System.out.println(line), cmd.maxRestarts, Duration.ofSeconds(cmd.restartWaitSeconds),
                    notice -> System.err.println("nabla train: " + notice));
            String metrics = results.values().stream().filter(r -> r != null).findFirst()
                    .orElseThrow(() -> new IOException("train: the chief returned no metrics"));
            if (cmd.metricsJson != null) AtomicFiles.write(cmd.metricsJson, metrics.getBytes(StandardCharsets.UTF_8));
        }
        return 0;
    }
}
