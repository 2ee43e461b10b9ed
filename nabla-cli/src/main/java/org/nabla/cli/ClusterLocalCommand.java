package org.nabla.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nabla cluster-local N}: N worker processes on this machine and the cluster file naming them, to try
 * distributed training without a cluster ({@code nabla train --cluster cluster.json}). Runs until stopped; a worker
 * that dies is started again, so a run with --max-restarts goes on from its last checkpoint.
 */
@Command(name = "cluster-local", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Start N worker processes on this machine, write their cluster file, and keep them running "
                + "(starting again any that exits) until stopped; then train with `nabla train --cluster FILE`.")
public final class ClusterLocalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "N", description = "Number of worker processes.")
    int workers;

    @Option(names = "--port", paramLabel = "P", defaultValue = "2222",
            description = "Port of worker 0; worker i listens on P + i; 0: any free ports (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--cluster-file", paramLabel = "FILE", defaultValue = "cluster.json",
            description = "Where to write the cluster (TF_CONFIG's \"cluster\" part) (default: ${DEFAULT-VALUE}).")
    Path clusterFile;

    @Option(names = "--no-restart", description = "Leave a worker that exits stopped.")
    boolean noRestart;

    @Mixin
    ClusterSecurityOptions security = new ClusterSecurityOptions();

    @Override
    public Integer call() throws Exception {
        LocalCluster cluster = LocalCluster.start(workers, port, clusterFile, !noRestart,
                security.arguments(), System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "nabla-cluster-local-shutdown"));
        System.out.println("nabla cluster-local: " + workers + " workers " + cluster.addresses() + "; cluster in "
                + clusterFile + ". Train with: nabla train --cluster " + clusterFile
                + " --model mlp --max-restarts 3" + (security.arguments().isEmpty() ? "" : " and the same TLS/token options")
                + "   (Ctrl-C stops the workers)");
        cluster.awaitClose();
        return 0;
    }
}
