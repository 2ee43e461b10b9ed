package org.nabla.distributed;

/**
 * A failure of the distributed runtime: a task that cannot be reached or answered late, a step that failed on a task,
 * a worker that restarted. The message names the task (and its address) and what failed.
 */
public class DistributedException extends RuntimeException {
    public DistributedException(String message) { super(message); }

    public DistributedException(String message, Throwable cause) { super(message, cause); }
}
