package org.nabla.cli;

import java.util.concurrent.Callable;
import org.nabla.distributed.collective.AllReduceBenchmark;
import org.nabla.distributed.DistributedOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla bench-distributed}: the ring all-reduce's bandwidth on loopback with in-process workers, next to a
 * plain TCP copy of the same bytes measured in the same run (docs/benchmarks.md).
 */
@Command(name = "bench-distributed", description = "Ring all-reduce bandwidth on loopback (workers in this process) "
        + "against a plain TCP copy of the same bytes.")
public final class BenchDistributedCommand implements Callable<Integer> {
    @Option(names = "--workers", split = ",", defaultValue = "2,3", description = "Worker counts (default: ${DEFAULT-VALUE}).")
    int[] workers;

    @Option(names = "--mb", split = ",", defaultValue = "4,16", description = "Tensor sizes in MiB (default: ${DEFAULT-VALUE}).")
    long[] mb;

    @Option(names = "--iterations", defaultValue = "30", description = "Timed all-reduces per case, after as many warm-up ones (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warm-up", defaultValue = "4", description = "Seconds of warm-up all-reduces per case, at least "
            + "as many as timed (default: ${DEFAULT-VALUE}).")
    double warmUp;

    @Option(names = "--grpc", description = "Send the ring's chunks as gRPC messages (the fallback) instead of over "
            + "raw TCP ring sockets.")
    boolean grpc;

    @Override
    public Integer call() throws Exception {
        long[] bytes = new long[mb.length];
        for (int i = 0; i < mb.length; i++) bytes[i] = mb[i] << 20;
        System.out.printf("ring all-reduce of one float32 tensor over %s, %d cores%n", grpc ? "gRPC" : "ring sockets",
                Runtime.getRuntime().availableProcessors());
        AllReduceBenchmark.run(workers, bytes, iterations, warmUp, DistributedOptions.defaults().ringSockets(!grpc),
                System.out);
        return 0;
    }
}
