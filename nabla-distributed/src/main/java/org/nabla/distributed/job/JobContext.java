package org.nabla.distributed.job;

import org.nabla.distributed.Server;

/** What a {@link JobRunner} gets from the task running it: the server, the run's id, and a way to report progress. */
public interface JobContext {
    /** The task's server (its collectives, its cluster). */
    Server server();

    /** The id the coordinator gave this run of the job; the same on every task. */
    String runId();

    /** Sends a line of progress to the coordinator. */
    void report(String line);

    /** Whether the coordinator cancelled the job (it also interrupts the job's thread). */
    boolean isCancelled();
}
