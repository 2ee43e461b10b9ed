package org.nabla.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nabla bench}: micro-benchmarks of the CPU kernels and eager dispatch, as a table or JSON. */
@Command(name = "bench", description = "Run micro-benchmarks (sgemm, conv2d, elementwise add, eager dispatch).")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print results as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        System.out.println("no benchmarks yet");
        return 0;
    }
}
