package org.nabla.graph;

import java.util.List;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.TensorSpec;

/**
 * An op instance in a graph: the op, its resolved attributes, its data inputs (outputs of earlier nodes), its control
 * inputs (nodes that must run first), the inferred output specs and the requested device. Immutable once added.
 */
public final class Node {
    private final Graph graph;
    private final int id;
    private final String name;
    private final OpDef op;
    private final Attrs attrs;
    private final List<Output> inputs;
    private final List<Node> controlInputs;
    private final TensorSpec[] outputSpecs;
    private final String device;
    private final Tensor[] outputs;

    Node(Graph graph, int id, String name, OpDef op, Attrs attrs, List<Output> inputs, List<Node> controlInputs,
         TensorSpec[] outputSpecs, String device) {
        this.graph = graph;
        this.id = id;
        this.name = name;
        this.op = op;
        this.attrs = attrs;
        this.inputs = List.copyOf(inputs);
        this.controlInputs = List.copyOf(controlInputs);
        this.outputSpecs = outputSpecs.clone();
        this.device = device;
        this.outputs = new Tensor[outputSpecs.length];
        for (int i = 0; i < outputs.length; i++) {
            outputs[i] = Tensor.symbolic(outputSpecs[i].dtype(), outputSpecs[i].shape(), CpuDevice.INSTANCE,
                    new Output(this, i));
        }
    }

    public Graph graph() { return graph; }

    /** Position in the graph's creation order (inputs always have smaller ids). */
    public int id() { return id; }

    public String name() { return name; }

    public OpDef op() { return op; }

    public Attrs attrs() { return attrs; }

    public List<Output> inputs() { return inputs; }

    public List<Node> controlInputs() { return controlInputs; }

    public int numOutputs() { return outputSpecs.length; }

    public TensorSpec outputSpec(int i) { return outputSpecs[i]; }

    /** The requested device (TensorFlow syntax, possibly partial, e.g. {@code /device:CPU:1}); "" if none. */
    public String device() { return device; }

    /** The symbolic tensor for output {@code i}; the same object every time. */
    public Tensor output(int i) { return outputs[i]; }

    /** All outputs as symbolic tensors. */
    public Tensor[] outputs() { return outputs.clone(); }

    @Override
    public String toString() { return name + " = " + op.name() + inputs + (attrs.size() > 0 ? attrs : ""); }
}
