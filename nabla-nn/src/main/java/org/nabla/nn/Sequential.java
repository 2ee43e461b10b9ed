package org.nabla.nn;

import java.util.ArrayList;
import java.util.List;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * A plain stack of single-input layers. Builds from {@link #input(int...)} or from the first data it sees:
 * <pre>{@code
 * Sequential model = new Sequential(new Flatten(), new Dense(128, "relu"), new Dropout(0.2), new Dense(10));
 * model.input(28, 28, 1);   // builds now (else on the first fit/call)
 * }</pre>
 */
public final class Sequential extends Model {
    private final List<Layer> layers = new ArrayList<>();
    private int[] exampleShape;
    private List<Shape> outputs;

    /** A model of these layers, applied in order (more may be added with {@code add}). */
    public Sequential(Layer... layers) {
        super("sequential");
        for (Layer l : layers) add(l);
    }

    /** Appends a layer (before the model is built). */
    public Sequential add(Layer layer) {
        if (layer == null) throw new IllegalArgumentException("Sequential: layer is null");
        if (isBuilt()) throw new IllegalStateException("Sequential " + name() + " is built; add layers before");
        layers.add(layer);
        return this;
    }

    /** Declares the example shape (no batch dim) and builds the model. */
    public Sequential input(int... exampleShape) {
        build(exampleShape);
        return this;
    }

    @Override
    public List<Layer> layers() { return List.copyOf(layers); }

    @Override public int numInputs() { return 1; }

    @Override public int numOutputs() { return 1; }

    @Override public boolean isBuilt() { return outputs != null; }

    @Override
    public void build(int[]... exampleShapes) {
        if (isBuilt()) return;
        if (exampleShapes.length != 1) {
            throw new IllegalArgumentException("Sequential takes one input, got " + exampleShapes.length + " shapes");
        }
        if (layers.isEmpty()) throw new IllegalStateException("Sequential " + name() + " has no layers");
        int[] d = new int[exampleShapes[0].length + 1];
        d[0] = Shape.UNKNOWN;
        System.arraycopy(exampleShapes[0], 0, d, 1, exampleShapes[0].length);
        prepareLayers(layers);
        Shape s = Shape.of(d);
        for (Layer l : layers) {
            l.build(s);
            s = l.outputShape(new Shape[] {s});
        }
        exampleShape = exampleShapes[0].clone();
        outputs = List.of(s);
    }

    @Override
    public List<Shape> inputShapes() {
        if (exampleShape == null) throw new IllegalStateException("Sequential " + name() + " is not built");
        int[] d = new int[exampleShape.length + 1];
        d[0] = Shape.UNKNOWN;
        System.arraycopy(exampleShape, 0, d, 1, exampleShape.length);
        return List.of(Shape.of(d));
    }

    /** The example shape the model was built for (no batch dim). */
    public int[] exampleShape() { return exampleShape == null ? null : exampleShape.clone(); }

    @Override
    public List<Shape> outputShapes() { return outputs; }

    @Override
    protected Outputs forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        Tensor mask = null;   // a timestep mask made by one layer (Embedding maskZero) flows to the next
        for (Layer l : layers) {
            Tensor[] in = {x};
            x = l.callAll(in, mask, ctx)[0];
            mask = l.outputMask(in, mask);
        }
        return new Outputs(new Tensor[] {x}, new Tensor[] {mask});
    }

    @Override
    protected List<String[]> summaryRows() {
        List<String[]> rows = new ArrayList<>();
        for (Layer l : layers) {
            rows.add(new String[] {l.name() + " (" + l.getClass().getSimpleName() + ")", shapeText(l.outputShape()),
                    Long.toString(l.paramCount())});
        }
        return rows;
    }
}
