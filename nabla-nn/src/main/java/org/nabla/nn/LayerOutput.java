package org.nabla.nn;

import java.util.List;
import org.nabla.Shape;

/**
 * A symbolic tensor of the functional API: the output of {@code layer} applied to {@code inputs}, or a model input
 * (layer null) made by {@link Input#of}. Shapes include the batch dim (unknown, -1).
 */
public final class LayerOutput {
    private final Layer layer;
    private final List<LayerOutput> inputs;
    private final Shape shape;
    private final String inputName;
    /** Output 0 of the same layer application (this one for output 0), and which output this is. */
    private final LayerOutput primary;
    private final int index;

    LayerOutput(Layer layer, List<LayerOutput> inputs, Shape shape) {
        this.layer = layer;
        this.inputs = inputs;
        this.shape = shape;
        this.inputName = null;
        this.primary = this;
        this.index = 0;
    }

    /** Output {@code index} of the application whose output 0 is {@code primary}. */
    LayerOutput(LayerOutput primary, int index, Shape shape) {
        this.layer = primary.layer;
        this.inputs = primary.inputs;
        this.shape = shape;
        this.inputName = null;
        this.primary = primary;
        this.index = index;
    }

    LayerOutput(String inputName, Shape shape) {
        this.layer = null;
        this.inputs = List.of();
        this.shape = shape;
        this.inputName = inputName;
        this.primary = this;
        this.index = 0;
    }

    /** Which output of its layer application this is (0 unless the layer has several outputs). */
    public int index() { return index; }

    /** Output 0 of the same layer application (the key under which a model runs the application once). */
    LayerOutput primary() { return primary; }

    /** The layer that produced it (null for a model input). */
    public Layer layer() { return layer; }

    /** The outputs the layer was called on. */
    public List<LayerOutput> inputs() { return inputs; }

    /** Its shape, batch dimension included (unknown, -1). */
    public Shape shape() { return shape; }

    /** Whether it is a model input. */
    public boolean isInput() { return layer == null; }

    /** The name of a model input (null for a layer output). */
    public String inputName() { return inputName; }

    @Override
    public String toString() {
        return (isInput() ? "Input '" + inputName + "'" : "output " + (index > 0 ? index + " " : "") + "of " + layer)
                + " " + shape;
    }
}
