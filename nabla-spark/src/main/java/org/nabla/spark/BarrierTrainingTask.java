package org.nabla.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskInterruptListener;
import org.nabla.distributed.ClusterSpec;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.Server;
import org.nabla.distributed.strategy.MultiWorkerMirroredStrategy;
import org.nabla.nn.FitOptions;
import org.nabla.nn.Model;
import org.nabla.nn.callbacks.Callback;
import org.nabla.nn.saving.Checkpoint;
import org.nabla.nn.saving.CheckpointManager;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * What each barrier task runs: one worker of the training job. The tasks agree on the cluster (hosts from the
 * barrier context's task infos, ports and row counts through {@code allGather}), each starts a nabla {@link Server}
 * as task r of job {@value #JOB}, restores the chief's newest checkpoint when there is one, and trains its partition
 * with {@code model.distribute(MultiWorkerMirroredStrategy.of(server)).fit(...)}. Partition 0 is the chief: it
 * writes a checkpoint after every epoch and returns the final weights.
 */
final class BarrierTrainingTask extends AbstractFunction1<Iterator<Row>, Iterator<byte[]>>
        implements Serializable {
    /** The job name of the workers in the cluster spec. */
    static final String JOB = "worker";

    private final TrainingPlan plan;

    BarrierTrainingTask(TrainingPlan plan) { this.plan = plan; }

    @Override
    public Iterator<byte[]> apply(Iterator<Row> rows) {
        TaskResult r = train(BarrierTaskContext.get(), CollectionConverters.asJava(rows));
        return CollectionConverters.asScala(List.of(r.toBytes()).iterator());
    }

    private TaskResult train(BarrierTaskContext ctx, java.util.Iterator<Row> rows) {
        try {
            return trainOrThrow(ctx, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("nabla-spark worker " + ctx.partitionId() + ": " + e.getMessage(), e);
        }
    }

    private TaskResult trainOrThrow(BarrierTaskContext ctx, java.util.Iterator<Row> rows) throws IOException {
        int replica = ctx.partitionId();
        int replicas = ctx.getTaskInfos().length;
        PartitionData data = PartitionData.read(rows, plan);
        CheckpointManager checkpoints = plan.checkpointDir() == null ? null
                : EpochCheckpoints.open(plan.checkpointDir(), plan.keepCheckpoints());
        // The chief alone decides where to resume, so a checkpoint written meanwhile cannot split the replicas.
        int resumeAt = replica == 0 && checkpoints != null ? EpochCheckpoints.lastEpoch(checkpoints) : 0;
        String[] peers = ctx.allGather(freePort() + " " + data.rows() + " " + resumeAt);
        List<String> addresses = new ArrayList<>();
        int[] rowsPerReplica = new int[replicas];
        for (int i = 0; i < replicas; i++) {
            String[] f = peers[i].split(" ");
            addresses.add(host(ctx.getTaskInfos()[i].address()) + ":" + f[0]);
            rowsPerReplica[i] = Integer.parseInt(f[1]);
        }
        int initialEpoch = Math.min(Integer.parseInt(peers[0].split(" ")[2]), plan.epochs());
        ReplicaBatches batches = new ReplicaBatches(data, replica, replicas, plan.globalBatch(), rowsPerReplica,
                plan.shuffle(), plan.seed()).startAtEpoch(initialEpoch);

        Model model = plan.model().get();
        if (model == null) throw new IllegalStateException("the model factory returned null");
        if (!model.isBuilt()) model.build(batches.exampleShape());
        if (initialEpoch > 0) EpochCheckpoints.restore(checkpoints, model, initialEpoch);

        ClusterSpec cluster = ClusterSpec.of(Map.of(JOB, addresses));
        DistributedOptions options = DistributedOptions.defaults().stepTimeout(plan.stepTimeout());
        List<Map<String, Double>> epochs = new ArrayList<>();
        Server started = Server.start(new Server.Config(cluster, JOB, replica, -1, 1, options));
        try (OnceClosed server = new OnceClosed(started)) {
            // A killed task (its stage failed elsewhere) may be blocked in an all-reduce: closing its server ends it.
            ctx.addTaskInterruptListener((TaskInterruptListener) (context, reason) -> server.close());
            ctx.barrier();                                   // every server listens before the first collective
            MultiWorkerMirroredStrategy strategy = MultiWorkerMirroredStrategy.of(started);
            strategy.syncVariables(model.weights());         // the chief's initial weights, whatever the factory drew
            model.distribute(strategy);
            if (initialEpoch < plan.epochs()) {
                List<Callback> callbacks = new ArrayList<>();
                callbacks.add(new Callback() {
                    @Override
                    public void onBatchEnd(int batch, Map<String, Double> logs) {
                        if (ctx.isInterrupted()) {
                            throw new TaskKilledException(ctx.getKillReason().getOrElse(() -> "killed"));
                        }
                    }

                    @Override
                    public void onEpochEnd(int epoch, Map<String, Double> logs) { epochs.add(new LinkedHashMap<>(logs)); }
                });
                if (replica == 0 && checkpoints != null) callbacks.add(new EpochCheckpoints(checkpoints, model));
                for (CallbackFactory f : plan.callbacks()) callbacks.add(f.get());
                model.fit(batches, FitOptions.epochs(plan.epochs()).initialEpoch(initialEpoch).verbose(0)
                        .callbacks(callbacks.toArray(Callback[]::new)));
            }
            ctx.barrier();                                   // no server closes while a peer still reduces
        }
        byte[] weights = replica == 0 ? Checkpoint.toBytes(Checkpoint.values(EpochCheckpoints.keyed(model.weights())))
                : null;
        return new TaskResult(replica, weights, batches.exampleShape(), epochs, initialEpoch,
                ctx.stageAttemptNumber());
    }

    /** Closes the server once, whether the task's interrupt listener or the task's own exit comes first. */
    private static final class OnceClosed implements AutoCloseable {
        private final Server server;
        private final AtomicBoolean closed = new AtomicBoolean();

        OnceClosed(Server server) { this.server = server; }

        @Override
        public void close() { if (closed.compareAndSet(false, true)) server.close(); }
    }

    /** A port free now on this host (the server binds it moments later; a clash fails the stage, which Spark retries). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(0));
            return s.getLocalPort();
        }
    }

    /** The host of a task info's address, which Spark gives as {@code host} or {@code host:port}. */
    static String host(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalStateException("Spark gave a barrier task no executor address");
        }
        int colon = address.lastIndexOf(':');
        boolean hostPort = colon > 0 && address.indexOf(':') == colon
                && address.substring(colon + 1).chars().allMatch(Character::isDigit);
        String host = hostPort ? address.substring(0, colon) : address;
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;    // an IPv6 literal
    }
}
