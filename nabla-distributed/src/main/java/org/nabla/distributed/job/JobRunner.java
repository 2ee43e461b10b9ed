package org.nabla.distributed.job;

import java.util.List;

/**
 * A kind of job a task can run for a coordinator (e.g. "train"): found with {@link java.util.ServiceLoader} by each
 * server, so modules above nabla-distributed (the CLI) add kinds without the runtime knowing them.
 */
public interface JobRunner {
    /** The kind this runner runs, e.g. {@code "train"}. */
    String kind();

    /**
     * Runs one replica of the job on {@code context.server()}'s task with the job's {@code args}; returns the result
     * (JSON, may be null) or throws, which fails the job on this task.
     */
    String run(JobContext context, List<String> args) throws Exception;
}
