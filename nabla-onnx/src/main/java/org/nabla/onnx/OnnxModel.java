package org.nabla.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.graph.Graph;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.runtime.Session;

/**
 * An ONNX model imported into a Nabla graph, ready to run in its own {@link Session}: inputs are placeholders named
 * like the ONNX inputs, outputs are fetched by their ONNX names. Close it to release the session.
 *
 * <p>One graph normally serves every input size (unknown dims stay unknown, run-time shapes go through Shape and
 * DynamicReshape). A model whose operators need sizes the declared input shapes leave open (a Slice of a symbolic
 * sequence length, say) is imported again for each distinct set of input shapes it is run with, like a traced
 * function; the last few such graphs are kept.
 */
public final class OnnxModel implements AutoCloseable {
    private static final int MAX_SPECIALIZED = 8;

    private final ModelProto model;
    private final OnnxGraphTranslator translator;
    private final ImportOptions options;
    private final List<OnnxSignature.Value> inputs;
    private final List<OnnxSignature.Value> outputs;
    /** The graph for any input size, or null when the model needs concrete input shapes. */
    private final OnnxGraphBuild generic;
    private final LinkedHashMap<List<Shape>, OnnxGraphBuild> specialized = new LinkedHashMap<>(16, 0.75f, true);
    private OnnxGraphBuild latest;

    OnnxModel(ModelProto model, ImportOptions options) {
        this.model = model;
        this.options = options;
        this.translator = new OnnxGraphTranslator(model);
        translator.checkOperatorsSupported();
        this.inputs = OnnxSignature.inputs(model.getGraph(), options.inputShapes());
        this.outputs = OnnxSignature.outputs(model.getGraph());
        OnnxGraphBuild built;
        try {
            built = OnnxGraphBuild.of(translator, model, options);
        } catch (UnsupportedOnnxException e) {
            if (inputs.stream().allMatch(v -> v.spec().shape().isFullyDefined())) throw e;
            // Maybe only the open dims are in the way: check the model imports once they are known (size 1 here),
            // so a real problem still fails now rather than at the first run.
            ImportOptions probe = options;
            for (OnnxSignature.Value v : inputs) probe = probe.withInputShape(v.name(), concrete(v.spec().shape()));
            OnnxGraphBuild probed = OnnxGraphBuild.of(translator, model, probe);
            probed.close();
            built = null;
        }
        this.generic = built;
        this.latest = built;
    }

    private static Shape concrete(Shape s) {
        int[] d = s.dims();
        for (int i = 0; i < d.length; i++) if (d[i] < 0) d[i] = 1;
        return Shape.of(d);
    }

    /** The graph of the last run (or the one serving every input size). */
    public synchronized Graph graph() {
        if (latest == null) latest = build(inputs.stream().map(v -> concrete(v.spec().shape())).toList());
        return latest.graph();
    }

    /** Whether one graph serves every input size (false: the model is imported again per input shapes). */
    public boolean isShapeGeneric() { return generic != null; }

    /** The inputs to feed, in the model's order. */
    public List<OnnxSignature.Value> inputs() { return inputs; }

    /** The outputs {@code run} returns, in the model's order. */
    public List<OnnxSignature.Value> outputs() { return outputs; }

    /** Runs the model on inputs given by name (tensors or Java arrays); returns every output by name. */
    public Map<String, Tensor> run(Map<String, ?> feeds) {
        List<String> missing = new ArrayList<>();
        for (OnnxSignature.Value v : inputs) if (!feeds.containsKey(v.name())) missing.add(v.name());
        if (!missing.isEmpty()) throw new IllegalArgumentException("missing inputs " + missing + "; the model takes "
                + inputs);
        for (String name : feeds.keySet()) {
            if (inputs.stream().noneMatch(v -> v.name().equals(name))) {
                throw new IllegalArgumentException("the model has no input '" + name + "'; inputs: " + inputs);
            }
        }
        Map<String, Tensor> values = new HashMap<>();
        List<Shape> shapes = new ArrayList<>();
        for (OnnxSignature.Value v : inputs) {
            Tensor t = Tensors.convert(feeds.get(v.name()), v.spec().dtype());
            values.put(v.name(), t);
            shapes.add(t.shape());
        }
        OnnxGraphBuild g = generic != null ? generic : specializedFor(shapes);
        return g.run(values);
    }

    private synchronized OnnxGraphBuild specializedFor(List<Shape> shapes) {
        OnnxGraphBuild g = specialized.get(shapes);
        if (g == null) {
            g = build(shapes);
            specialized.put(shapes, g);
            if (specialized.size() > MAX_SPECIALIZED) {
                var eldest = specialized.entrySet().iterator().next();
                eldest.getValue().close();
                specialized.remove(eldest.getKey());
            }
        }
        latest = g;
        return g;
    }

    private OnnxGraphBuild build(List<Shape> shapes) {
        ImportOptions o = options;
        for (int i = 0; i < inputs.size(); i++) o = o.withInputShape(inputs.get(i).name(), shapes.get(i));
        return OnnxGraphBuild.of(translator, model, o);
    }

    /** Runs the model on inputs in the order of {@link #inputs()}; returns the outputs in order. */
    public Tensor[] run(Object... args) {
        if (args.length != inputs.size()) {
            throw new IllegalArgumentException("the model takes " + inputs.size() + " inputs " + inputs + ", got "
                    + args.length);
        }
        Map<String, Object> feeds = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) feeds.put(inputs.get(i).name(), args[i]);
        return run(feeds).values().toArray(Tensor[]::new);
    }

    @Override
    public synchronized void close() {
        if (generic != null) generic.close();
        for (OnnxGraphBuild g : specialized.values()) g.close();
        specialized.clear();
        if (latest != null) latest.close();
    }

    @Override
    public String toString() { return "OnnxModel " + inputs + " -> " + outputs; }
}
