package org.nabla.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.StateOps;

/**
 * Extra control edges that let variable updates run in place. A graph read lends the variable's value to the run
 * until the nodes reading it ran ({@link FrameBuffers}); an update that runs earlier must copy the value instead. In a
 * training step the update of a weight often depends only on the weight's gradient, not on every product that read
 * the weight (the backward product through it), so the executor could pick it first. This adds an edge from each
 * reader of a read of a variable to each later update of that variable, unless the reader itself depends on the
 * update (that would be a cycle; such a reader sees the copy). Scheduling only: results are the same either way.
 */
final class ReadsBeforeWrites {
    private ReadsBeforeWrites() {}

    /** For each node id, the ids of the extra predecessors it must wait for (empty arrays for most). */
    static int[][] edges(Node[] nodes, boolean[] fedNode) {
        int n = nodes.length;
        int[][] none = new int[n][];
        for (int i = 0; i < n; i++) none[i] = new int[0];
        Map<String, List<Node>> reads = new HashMap<>();
        List<Node> writers = new ArrayList<>();
        for (Node node : nodes) {
            if (fedNode[node.id()] || node.op().variableAttrs().isEmpty()) continue;
            if (node.op() == StateOps.READ_VARIABLE) {
                reads.computeIfAbsent(node.attrs().getString("name"), k -> new ArrayList<>()).add(node);
            } else {
                writers.add(node);
            }
        }
        if (writers.isEmpty() || reads.isEmpty()) return none;
        List<List<Integer>> succ = new ArrayList<>();
        List<List<Integer>> readers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            succ.add(new ArrayList<>());
            readers.add(new ArrayList<>());
        }
        for (Node node : nodes) {
            for (Output o : node.inputs()) {
                succ.get(o.node().id()).add(node.id());
                readers.get(o.node().id()).add(node.id());
            }
            for (Node c : node.controlInputs()) succ.get(c.id()).add(node.id());
        }
        List<List<Integer>> extra = new ArrayList<>();
        for (int i = 0; i < n; i++) extra.add(new ArrayList<>());
        for (Node writer : writers) {
            for (String attr : writer.op().variableAttrs()) {
                for (Node read : reads.getOrDefault(writer.attrs().getString(attr), List.of())) {
                    for (int reader : readers.get(read.id())) {
                        if (reader == writer.id() || fedNode[reader] || extra.get(writer.id()).contains(reader)
                                || reaches(succ, writer.id(), reader)) {
                            continue;
                        }
                        extra.get(writer.id()).add(reader);
                        succ.get(reader).add(writer.id()); // later checks see this edge too: no cycle of new edges
                    }
                }
            }
        }
        int[][] out = none;
        for (int i = 0; i < n; i++) {
            if (!extra.get(i).isEmpty()) out[i] = extra.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** Whether {@code to} is reachable from {@code from} along {@code succ}. */
    private static boolean reaches(List<List<Integer>> succ, int from, int to) {
        boolean[] seen = new boolean[succ.size()];
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        stack.push(from);
        seen[from] = true;
        while (!stack.isEmpty()) {
            int v = stack.pop();
            if (v == to) return true;
            for (int s : succ.get(v)) {
                if (!seen[s]) {
                    seen[s] = true;
                    stack.push(s);
                }
            }
        }
        return false;
    }
}
