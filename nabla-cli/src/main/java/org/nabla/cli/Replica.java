package org.nabla.cli;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.nabla.distributed.strategy.MultiWorkerMirroredStrategy;

/**
 * How a {@code nabla train} process takes part in a run: alone, or as one replica of a data-parallel job (its
 * strategy, where the chief's progress lines go (back to the coordinator), and whether the coordinator cancelled it).
 */
record Replica(MultiWorkerMirroredStrategy strategy, Consumer<String> reporter, BooleanSupplier cancelled) {
    /** Training alone; progress on standard output (looked up per line, so a redirected System.out is honoured). */
    static final Replica SINGLE = new Replica(null, line -> System.out.println(line), () -> false);

    /** Whether this process validates, writes the run folder and reports (the only one, or replica 0). */
    boolean isChief() { return strategy == null || strategy.isChief(); }

    void report(String line) { reporter.accept(line); }

    /** ", 2 replicas" for a data-parallel run, else nothing. */
    String describe() { return strategy == null ? "" : ", " + strategy.replicas() + " replicas"; }
}
