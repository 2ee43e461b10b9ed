package org.nabla.cli;

import java.util.concurrent.Callable;
import org.nabla.distributed.collective.AllReduceBenchmark;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.strategy.DataParallelBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla bench-distributed}: the ring all-reduce's bandwidth on loopback with in-process workers, next to a
 * plain TCP copy of the same bytes measured in the same run; with {@code --model cnn}, data-parallel training's
 * scaling over 1, 2 and 4 worker processes (docs/benchmarks.md).
 */
@Command(name = "bench-distributed", description = "Ring all-reduce bandwidth on loopback (workers in this process) "
        + "against a plain TCP copy of the same bytes; with --model, data-parallel scaling over worker processes.")
public final class BenchDistributedCommand implements Callable<Integer> {
    @Option(names = "--workers", split = ",", description = "Worker counts (default: 2,3; with --model 1,2,4).")
    int[] workers;

    @Option(names = "--model", description = "Measure data-parallel training of this reference model (cnn or mlp) "
            + "instead: one worker JVM per worker (1 thread each), samples/s and scaling efficiency.")
    String model;

    @Option(names = "--batch", defaultValue = "64", description = "With --model: examples per worker and step (the "
            + "global batch grows with the workers; default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "30", description = "With --model: timed training steps, after 10 "
            + "warm-up ones (default: ${DEFAULT-VALUE}).")
    int steps;

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

    @Option(names = "--pack-kb", defaultValue = "4096", description = "With --model: KiB of gradients per all-reduce "
            + "op (smaller packs start reducing the last layers' gradients while the backward pass goes on; default: "
            + "${DEFAULT-VALUE}).")
    long packKb;

    @Override
    public Integer call() throws Exception {
        if (model != null) {
            int[] counts = workers == null ? new int[] {1, 2, 4} : workers;
            System.out.printf("data-parallel training of the reference %s on loopback, %d examples per worker, %d "
                    + "cores%n", model, batch, Runtime.getRuntime().availableProcessors());
            DataParallelBenchmark.run(model, counts, batch, 10, steps, packKb << 10, System.out);
            return 0;
        }
        if (workers == null) workers = new int[] {2, 3};
        long[] bytes = new long[mb.length];
        for (int i = 0; i < mb.length; i++) bytes[i] = mb[i] << 20;
        System.out.printf("ring all-reduce of one float32 tensor over %s, %d cores%n", grpc ? "gRPC" : "ring sockets",
                Runtime.getRuntime().availableProcessors());
        AllReduceBenchmark.run(workers, bytes, iterations, warmUp, DistributedOptions.defaults().ringSockets(!grpc),
                System.out);
        return 0;
    }
}
