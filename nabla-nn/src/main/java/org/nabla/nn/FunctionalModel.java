package org.nabla.nn;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * A model given by a graph of layers from {@link Input}s to outputs ({@link Model#functional}). Layers are built
 * when applied to symbolic inputs; a layer applied twice shares its weights.
 */
final class FunctionalModel extends Model {
    private final List<LayerOutput> inputs;
    private final List<LayerOutput> outputs;
    /** Layer applications in topological order. */
    private final List<LayerOutput> nodes = new ArrayList<>();
    private final List<Layer> layers;

    FunctionalModel(String name, List<LayerOutput> inputs, List<LayerOutput> outputs) {
        super(name);
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException("functional model needs inputs and outputs");
        }
        for (LayerOutput in : inputs) {
            if (!in.isInput()) throw new IllegalArgumentException("functional model: " + in + " is not an Input");
        }
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        Set<LayerOutput> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (LayerOutput o : outputs) visit(o, seen);
        Set<Layer> ls = new LinkedHashSet<>();
        for (LayerOutput n : nodes) ls.add(n.layer());
        this.layers = List.copyOf(ls);
        prepareLayers(layers);
        reseed();   // weights from the model seed, whatever the order in which layers were made
    }

    @Override
    boolean reseedsWhenBuilt() { return true; }

    private void visit(LayerOutput o, Set<LayerOutput> seen) {
        if (!seen.add(o)) return;
        if (o.isInput()) {
            if (!inputs.contains(o)) {
                throw new IllegalArgumentException("functional model: output depends on " + o
                        + ", which is not among the model's inputs");
            }
            return;
        }
        for (LayerOutput i : o.inputs()) visit(i, seen);
        nodes.add(o);
    }

    @Override public List<Layer> layers() { return layers; }

    /** Each input's dtype: the input dtype of the first layer that reads it (ids for an Embedding). */
    @Override
    List<org.nabla.DType> inputDTypes() {
        List<org.nabla.DType> dtypes = new ArrayList<>();
        for (LayerOutput in : inputs) {
            org.nabla.DType d = org.nabla.DType.FLOAT32;
            for (LayerOutput n : nodes) {
                if (n.inputs().contains(in)) {
                    d = n.layer().inputDType();
                    break;
                }
            }
            dtypes.add(d);
        }
        return dtypes;
    }

    @Override public int numInputs() { return inputs.size(); }

    @Override public List<Shape> inputShapes() { return inputs.stream().map(LayerOutput::shape).toList(); }

    @Override public int numOutputs() { return outputs.size(); }

    @Override public boolean isBuilt() { return true; }

    @Override
    public void build(int[]... exampleShapes) {}

    @Override
    public List<Shape> outputShapes() { return outputs.stream().map(LayerOutput::shape).toList(); }

    @Override
    protected Outputs forward(Tensor[] xs, CallContext ctx) {
        Map<LayerOutput, Tensor> values = new IdentityHashMap<>();
        Map<LayerOutput, Tensor> masks = new IdentityHashMap<>();          // timestep masks (Embedding maskZero)
        Map<LayerOutput, Tensor[]> applications = new IdentityHashMap<>();  // by output 0: a layer call runs once
        for (int i = 0; i < xs.length; i++) values.put(inputs.get(i), xs[i]);
        for (LayerOutput n : nodes) {
            Tensor[] in = new Tensor[n.inputs().size()];
            for (int i = 0; i < in.length; i++) in[i] = values.get(n.inputs().get(i));
            // a layer gets the mask of its one input, or (attention, merges) of each input
            Tensor[] allMasks = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) allMasks[i] = masks.get(n.inputs().get(i));
            boolean each = n.layer().readsInputMasks() || in.length == 1;
            Tensor[] inMasks = each ? allMasks : new Tensor[in.length];
            Tensor[] all = applications.get(n.primary());
            if (all == null) {
                all = n.layer().callWithMasks(in, inMasks, ctx);
                applications.put(n.primary(), all);
                Tensor outMask = n.layer().outputMask(in, allMasks);
                if (outMask != null) masks.put(n.primary(), outMask);
            }
            values.put(n, all[n.index()]);
        }
        Tensor[] out = new Tensor[outputs.size()];
        Tensor[] outMasks = new Tensor[out.length];   // kept under output 0 of an application: states have none
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(outputs.get(i));
            outMasks[i] = masks.get(outputs.get(i));
        }
        return new Outputs(out, outMasks);
    }

    @Override
    protected List<String[]> summaryRows() {
        List<String[]> rows = new ArrayList<>();
        for (LayerOutput in : inputs) {
            rows.add(new String[] {in.inputName() + " (InputLayer)", shapeText(in.shape()), "0"});
        }
        Set<Layer> shown = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (LayerOutput n : nodes) {
            if (!shown.add(n.layer())) continue;
            rows.add(new String[] {n.layer().name() + " (" + n.layer().getClass().getSimpleName() + ")",
                    shapeText(n.shape()), Long.toString(n.layer().paramCount())});
        }
        return rows;
    }
}
