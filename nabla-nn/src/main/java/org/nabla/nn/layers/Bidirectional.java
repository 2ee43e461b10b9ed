package org.nabla.nn.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * Runs a recurrent layer over the sequence forwards and a twin of it backwards ({@code goBackwards}) and merges the
 * two outputs (Keras' Bidirectional): {@code "concat"} (default, [forward, backward] on the last axis), {@code "sum"},
 * {@code "mul"} or {@code "ave"}. A returned backward sequence is flipped back to the input's time order first, and
 * with a mask both directions output zeros at masked timesteps (as Keras does). With {@code returnState} the
 * outputs are {@code [merged, forward states..., backward states...]}. Weights: the forward layer's, then the
 * backward layer's, named {@code <name>/forward_<layer>/...} and {@code <name>/backward_<layer>/...}.
 */
public final class Bidirectional extends Layer {
    private final RecurrentLayer forwardLayer;
    private final RecurrentLayer backwardLayer;
    private final String mergeMode;

    /** Concatenates the two directions. */
    public Bidirectional(RecurrentLayer layer) { this(layer, "concat"); }

    /** Merges the two directions by {@code mergeMode}: "concat", "sum", "mul" or "ave". */
    public Bidirectional(RecurrentLayer layer, String mergeMode) {
        if (layer == null) throw new IllegalArgumentException("Bidirectional: layer is null");
        if (layer.isBuilt()) throw new IllegalArgumentException("Bidirectional: " + layer + " is already built");
        String m = mergeMode == null ? "" : mergeMode.toLowerCase(Locale.ROOT);
        if (!List.of("concat", "sum", "mul", "ave").contains(m)) {
            throw new IllegalArgumentException("Bidirectional: mergeMode must be concat, sum, mul or ave, got '"
                    + mergeMode + "'");
        }
        this.mergeMode = m;
        this.forwardLayer = layer;
        this.backwardLayer = layer.copyConfig().goBackwards(!layer.goBackwards());
        boolean sequences = layer.returnSequences();
        forwardLayer.zeroOutputForMask(sequences);
        backwardLayer.zeroOutputForMask(sequences);
    }

    /** The layer given, run forwards. */
    public RecurrentLayer forwardLayer() { return forwardLayer; }

    /** Its twin with the opposite {@code goBackwards}, with weights of its own. */
    public RecurrentLayer backwardLayer() { return backwardLayer; }

    /** How the two outputs are merged: "concat", "sum", "mul" or "ave". */
    public String mergeMode() { return mergeMode; }

    @Override
    public Layer dtype(DType d) {
        super.dtype(d);
        forwardLayer.dtype(d);
        backwardLayer.dtype(d);
        return this;
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        if (shapes.length != 1) {
            throw new IllegalArgumentException(describe() + " takes one input (the sequence), got " + shapes.length);
        }
        if (shapes[0].rank() != 3) {
            throw new IllegalArgumentException(describe() + " expects a sequence [batch, time, features], got input "
                    + "shape " + shapes[0]);
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        forwardLayer.name(name() + "/forward_" + forwardLayer.defaultBaseName()).seed(seed() * 31 + 1);
        backwardLayer.name(name() + "/backward_" + backwardLayer.defaultBaseName()).seed(seed() * 31 + 2);
        forwardLayer.build(in);
        backwardLayer.build(in);
    }

    @Override
    public List<Variable> weights() {
        List<Variable> all = new ArrayList<>(forwardLayer.weights());
        all.addAll(backwardLayer.weights());
        return all;
    }

    @Override
    public List<Variable> trainableWeights() { return weights().stream().filter(Variable::trainable).toList(); }

    @Override
    public List<Variable> nonTrainableWeights() { return weights().stream().filter(v -> !v.trainable()).toList(); }

    @Override
    public long paramCount() { return forwardLayer.paramCount() + backwardLayer.paramCount(); }

    @Override
    public void reinitialize() {
        forwardLayer.seed(seed() * 31 + 1).reinitialize();
        backwardLayer.seed(seed() * 31 + 2).reinitialize();
    }

    @Override
    public int outputCount() { return forwardLayer.outputCount() * 2 - 1; }

    @Override
    public Shape outputShape(Shape[] in) { return outputShapes(in)[0]; }

    @Override
    public Shape[] outputShapes(Shape[] in) {
        Shape[] f = forwardLayer.outputShapes(in);
        Shape[] out = new Shape[outputCount()];
        int[] d = f[0].dims();
        if (mergeMode.equals("concat")) d[d.length - 1] *= 2;
        out[0] = Shape.of(d);
        for (int i = 1; i < f.length; i++) {
            out[i] = f[i];
            out[f.length - 1 + i] = f[i];
        }
        return out;
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) { return forwardAll(inputs, null, ctx)[0]; }

    @Override
    protected Tensor[] forwardAll(Tensor[] inputs, Tensor mask, CallContext ctx) {
        Tensor[] f = forwardLayer.callAll(inputs, mask, ctx);
        Tensor[] b = backwardLayer.callAll(inputs, mask, ctx);
        Tensor back = b[0];
        if (forwardLayer.returnSequences()) {
            int time = back.shape().dim(1);
            int[] reversed = new int[time];
            for (int t = 0; t < time; t++) reversed[t] = time - 1 - t;
            back = Ops.gather(back, org.nabla.Tensors.of(reversed), 1);
        }
        Tensor merged = switch (mergeMode) {
            case "concat" -> Ops.concat(-1, f[0], back);
            case "sum" -> Ops.add(f[0], back);
            case "mul" -> Ops.mul(f[0], back);
            default -> Ops.mul(Ops.add(f[0], back), 0.5);
        };
        Tensor[] out = new Tensor[outputCount()];
        out[0] = merged;
        for (int i = 1; i < f.length; i++) {
            out[i] = f[i];
            out[f.length - 1 + i] = b[i];
        }
        return out;
    }

    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return forwardLayer.returnSequences() ? mask : null; }
}
