package org.nabla.cli;

import java.nio.file.Files;
import java.util.List;
import org.nabla.distributed.job.JobContext;
import org.nabla.distributed.job.JobRunner;
import org.nabla.distributed.strategy.MultiWorkerMirroredStrategy;
import picocli.CommandLine;

/**
 * The "train" job a {@code nabla server} task runs for {@code nabla train --cluster}: the same training as
 * {@code nabla train}, as one replica of a {@link MultiWorkerMirroredStrategy} over the tasks of the server's job.
 * The result is the chief's metrics.json.
 */
public final class TrainJob implements JobRunner {
    @Override
    public String kind() { return "train"; }

    @Override
    public String run(JobContext context, List<String> args) throws Exception {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        if (command.cluster != null || command.tfConfig) {
            throw new IllegalArgumentException("train job: a replica's arguments cannot name a cluster: " + args);
        }
        // the run's own key scope: a restarted task and those that kept running count collectives alike
        MultiWorkerMirroredStrategy strategy = new MultiWorkerMirroredStrategy(
                context.server().collectives().withKeyScope("train-" + context.runId()));
        command.train(new Replica(strategy, context::report, context::isCancelled));
        if (!strategy.isChief()) return null;
        return Files.readString(command.runFolder().resolve("metrics.json"));
    }
}
