package org.nabla.runtime;

import java.util.List;
import org.nabla.graph.Graph;

/**
 * What a run did: the peak of live intermediate bytes, per-node timings, and the partition graphs it executed (with
 * their Send/Recv pairs and full device names).
 *
 * @param peakBytes       the high-water mark of the logical bytes (elements times dtype size) of the tensors the
 *                        executor held at once: outputs not yet consumed by all their consumers, plus fetched ones
 * @param totalNanos      wall time of the run
 * @param nodeStats       one entry per node run, in completion order
 * @param partitionGraphs one graph per device that took part
 */
public record RunMetadata(long peakBytes, long totalNanos, List<NodeStats> nodeStats, List<Graph> partitionGraphs) {
    public RunMetadata {
        nodeStats = List.copyOf(nodeStats);
        partitionGraphs = List.copyOf(partitionGraphs);
    }

    /**
     * Timing of one node.
     *
     * @param node          node name
     * @param op            op name
     * @param device        full device name
     * @param startNanos    start, relative to the start of the run
     * @param durationNanos time in the kernel (for a Recv: waiting for the value)
     * @param outputBytes   logical bytes of its outputs
     * @param thread        the thread that ran it
     */
    public record NodeStats(String node, String op, String device, long startNanos, long durationNanos,
                            long outputBytes, String thread) {}

    /** The stats of the node with this name (the first, if several partitions have one). */
    public NodeStats stats(String node) {
        return nodeStats.stream().filter(s -> s.node().equals(node)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no stats for node '" + node + "'"));
    }
}
