package org.nabla.runtime.optimize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;

/**
 * Builds a new graph from an old one, node by node in the old graph's (topological) order: each old node is copied
 * with its inputs mapped, rebuilt as another op, replaced by outputs that already exist in the new graph, or dropped.
 * Graphs are append-only, so every pass is a rewrite. Copies keep their names, devices and control inputs; nodes
 * added under new names never take a name of the old graph, so later copies cannot collide.
 */
public final class GraphRewriter {
    private final Graph source;
    private final Graph target = new Graph();
    private final Map<Output, Output> outputs = new HashMap<>();
    private final Map<Node, Node> nodes = new HashMap<>();

    public GraphRewriter(Graph source) { this.source = source; }

    public Graph source() { return source; }

    /** The graph being built. */
    public Graph target() { return target; }

    /** The new output for an old one; fails if its node was dropped or not yet visited. */
    public Output map(Output old) {
        Output o = outputs.get(old);
        if (o == null) throw new IllegalStateException("output " + old + " has no counterpart in the new graph yet");
        return o;
    }

    public boolean isMapped(Output old) { return outputs.containsKey(old); }

    /** The mapped data inputs of an old node. */
    public List<Output> inputsOf(Node old) {
        List<Output> in = new ArrayList<>(old.inputs().size());
        for (Output o : old.inputs()) in.add(map(o));
        return in;
    }

    /** The mapped control inputs of an old node (duplicates after merging removed). */
    public List<Node> controlsOf(Node old) {
        Set<Node> c = new LinkedHashSet<>();
        for (Node n : old.controlInputs()) {
            Node m = nodes.get(n);
            if (m == null) {
                throw new IllegalStateException("control input " + n.name() + " of " + old.name() + " has no "
                        + "counterpart in the new graph");
            }
            c.add(m);
        }
        return new ArrayList<>(c);
    }

    /** Copies {@code old} unchanged but for its mapped inputs. */
    public Node copy(Node old) {
        return rebuild(old, old.op(), old.attrs(), inputsOf(old));
    }

    /**
     * Replaces {@code old} by a node of another op (or other attributes or inputs, already in the new graph) with
     * its name, device and control inputs; its outputs map to the new node's, index by index.
     */
    public Node rebuild(Node old, OpDef op, Attrs attrs, List<Output> newInputs) {
        Node n = target.addNodeExact(op, attrs, newInputs, controlsOf(old), old.name(), old.device());
        if (n.numOutputs() != old.numOutputs()) {
            throw new IllegalStateException("rewriting " + old.name() + ": " + old.numOutputs() + " outputs became "
                    + n.numOutputs());
        }
        for (int i = 0; i < n.numOutputs(); i++) outputs.put(new Output(old, i), new Output(n, i));
        nodes.put(old, n);
        return n;
    }

    /** Adds a node that stands for no old node, under {@code nameHint} or the first free {@code nameHint_k}. */
    public Node add(OpDef op, Attrs attrs, List<Output> inputs, List<Node> controls, String nameHint,
                    String device) {
        return target.addNodeExact(op, attrs, inputs, controls, freshName(nameHint), device);
    }

    /** A name used by neither graph. */
    public String freshName(String hint) {
        if (!source.hasNode(hint) && !target.hasNode(hint)) return hint;
        for (int k = 1; ; k++) {
            String c = hint + "_" + k;
            if (!source.hasNode(c) && !target.hasNode(c)) return c;
        }
    }

    /**
     * Maps the outputs of {@code old} to existing outputs of the new graph (same value); the node maps to the node
     * of the first replacement, so control dependencies on {@code old} wait for that node instead.
     */
    public void replace(Node old, List<Output> replacements) {
        if (replacements.size() != old.numOutputs()) {
            throw new IllegalArgumentException("replacing " + old.name() + ": " + replacements.size()
                    + " replacements for " + old.numOutputs() + " outputs");
        }
        for (int i = 0; i < replacements.size(); i++) {
            Output r = replacements.get(i);
            if (r.graph() != target) {
                throw new IllegalArgumentException("replacement " + r + " is not in the new graph");
            }
            outputs.put(new Output(old, i), r);
        }
        if (!replacements.isEmpty()) nodes.put(old, replacements.get(0).node());
    }

    /** The new graph and the mappings from old outputs and nodes. */
    public Optimized finish() { return new Optimized(target, outputs, nodes); }
}
