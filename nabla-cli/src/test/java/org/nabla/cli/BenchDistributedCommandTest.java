package org.nabla.cli;

import org.junit.jupiter.api.Test;

/**
 * {@code nabla bench-distributed}'s errors (the all-reduce benchmark and the scaling benchmark run for real in
 * nabla-distributed's tests).
 */
class BenchDistributedCommandTest {
    @Test
    void theModelAndTheCountsAreChecked() {
        CommandsTest.assertFails(CommandsTest.run("bench-distributed", "--model", "resnet"), "bench-distributed",
                "--model must be cnn or mlp, got resnet");
        CommandsTest.assertFails(CommandsTest.run("bench-distributed", "--model", "cnn", "--batch", "0"),
                "bench-distributed", "batch, steps and warm-up steps must be >= 1");
        CommandsTest.assertFails(CommandsTest.run("bench-distributed", "--model", "cnn", "--workers", "0"),
                "bench-distributed", "--workers: counts must be >= 1, got 0");
    }
}
