package org.nabla.profiler;

/**
 * One kernel call seen by the {@link Profiler}: the op, the graph node (null for an eager op), the device and
 * thread it ran on, when it started and how long it took (nanoseconds on {@link System#nanoTime}'s clock), the
 * bytes of its outputs, and its input and output dtypes and shapes.
 */
public record ProfileEvent(String op, String node, String device, String thread, long startNanos, long durationNanos,
                           long outputBytes, String inputs, String outputs) {
    /** When it ended. */
    public long endNanos() { return startNanos + durationNanos; }

    /** The node's name, or the op's for an eager call. */
    public String name() { return node != null ? node : op; }
}
