package org.nabla.graph;

import org.nabla.ops.TensorSpec;

/** One output of a node: the edge a symbolic tensor stands for. Printed TensorFlow-style as {@code name:index}. */
public record Output(Node node, int index) {
    public Output {
        if (index < 0 || index >= node.numOutputs()) {
            throw new IllegalArgumentException("node " + node.name() + " has " + node.numOutputs()
                    + " outputs, no output " + index);
        }
    }

    public TensorSpec spec() { return node.outputSpec(index); }

    public Graph graph() { return node.graph(); }

    @Override
    public String toString() { return node.name() + ":" + index; }
}
