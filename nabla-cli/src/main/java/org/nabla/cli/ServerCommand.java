package org.nabla.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nabla.distributed.Server;
import org.nabla.distributed.ServerMain;
import org.nabla.distributed.TfConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nabla server}: starts one task of a cluster (its worker and master services over gRPC) and serves until
 * stopped. The task comes from --job/--task (with --port or the task's address in --cluster), a TF_CONFIG file
 * (--cluster), or the TF_CONFIG environment variable, so a job written for TensorFlow's Kubernetes operator starts
 * Nabla unchanged. TLS and a shared token come from {@link ClusterSecurityOptions}. See docs/distributed.md.
 */
@Command(name = "server", description = "Start a task of a cluster (worker and master over gRPC) and serve until "
        + "stopped. The task comes from --job/--task, a TF_CONFIG file (--cluster) or the TF_CONFIG variable.")
public final class ServerCommand implements Callable<Integer> {
    @Option(names = "--job", description = "Job name of this task (worker, chief, ps...).")
    String job;

    @Option(names = "--task", description = "Index of this task in its job.")
    Integer task;

    @Option(names = "--port", description = "Port to listen on (0: any free port; default: this task's port in the "
            + "cluster).")
    Integer port;

    @Option(names = "--cluster", description = "A TF_CONFIG JSON file (cluster and task), or a cluster alone with "
            + "--job/--task.")
    Path cluster;

    @Option(names = "--cpus", defaultValue = "1", description = "CPU devices the worker hosts (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Mixin
    ClusterSecurityOptions security;

    @Override
    public Integer call() throws Exception {
        Server.Config config = ServerMain.config(cluster, job, task, port, cpus, System.getenv(TfConfig.ENV),
                security.security());
        try (Server server = Server.start(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "nabla-server-shutdown"));
            ServerMain.announce(server, System.out);
            server.awaitTermination();
        }
        return 0;
    }
}
