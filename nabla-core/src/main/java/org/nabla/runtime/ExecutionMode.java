package org.nabla.runtime;

/** How the executor orders the nodes of a run. */
public enum ExecutionMode {
    /**
     * Ready nodes run on the session's thread pool as soon as their inputs are there (inter-op parallelism); big
     * kernels still split work across cores (intra-op). Results of pure graphs are reproducible too, because kernels
     * split work in fixed chunks; only stateful ops not ordered by edges may interleave differently. (In every mode,
     * the JDK's vector exp/log/tanh/sin may change their last bit once JIT-compiled: see docs/session.md.)
     */
    PARALLEL,
    /** One node at a time on the calling thread, in the order they become ready. */
    SERIAL,
    /**
     * One node at a time on the calling thread, always the ready node created first: the same order run after run, so
     * results are bitwise equal even where stateful ops are not ordered by edges.
     */
    DETERMINISTIC
}
