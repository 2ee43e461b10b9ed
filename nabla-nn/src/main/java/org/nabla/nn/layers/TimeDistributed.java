package org.nabla.nn.layers;

import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * Applies one layer to every timestep of a sequence (Keras' {@code TimeDistributed}): [N, T, ...] is folded to
 * [N * T, ...], the layer runs once on all steps with the same weights, and the result is unfolded to
 * [N, T, ...]. Weights are the wrapped layer's, named {@code <name>/<layer>/...}. The step mask passes through.
 */
public final class TimeDistributed extends Layer {
    private final Layer layer;

    /** Wraps {@code layer}, which must take one input and give one output. */
    public TimeDistributed(Layer layer) {
        if (layer == null) throw new IllegalArgumentException("TimeDistributed: the wrapped layer is null");
        this.layer = layer;
    }

    /** The wrapped layer. */
    public Layer layer() { return layer; }

    @Override
    public Layer dtype(DType d) {
        super.dtype(d);
        layer.dtype(d);
        return this;
    }

    private static Shape perStep(Shape s) {
        int[] d = s.dims();
        int[] out = new int[d.length - 1];
        out[0] = -1;
        System.arraycopy(d, 2, out, 1, d.length - 2);
        return Shape.of(out);
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        if (shapes[0].rank() < 3 || shapes[0].dim(1) < 0) {
            throw new IllegalArgumentException(describe() + " expects [batch, time, ...] with a known time length, got "
                    + shapes[0]);
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        layer.name(name() + "/" + layer.defaultBaseName()).seed(seed() * 31 + 1);
        layer.build(new Shape[] {perStep(in[0])});
    }

    @Override
    public List<Variable> weights() { return layer.weights(); }

    @Override
    public List<Variable> trainableWeights() { return layer.trainableWeights(); }

    @Override
    public List<Variable> nonTrainableWeights() { return layer.nonTrainableWeights(); }

    @Override
    public long paramCount() { return layer.paramCount(); }

    @Override
    public void reinitialize() { layer.seed(seed() * 31 + 1).reinitialize(); }

    @Override
    public Shape outputShape(Shape[] in) {
        Shape step = layer.outputShape(new Shape[] {perStep(in[0])});
        int[] d = new int[step.rank() + 1];
        d[0] = in[0].dim(0);
        d[1] = in[0].dim(1);
        for (int i = 1; i < step.rank(); i++) d[i + 1] = step.dim(i);
        return Shape.of(d);
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        int t = x.shape().dim(1);
        Tensor y = layer.call(new Tensor[] {Ops.reshape(x, perStep(x.shape()).dims())}, ctx);
        int[] d = y.shape().dims();
        int[] out = new int[d.length + 1];
        out[0] = -1;
        out[1] = t;
        System.arraycopy(d, 1, out, 2, d.length - 1);
        return Ops.reshape(y, out);
    }

    /** Every timestep is kept, and so is their mask. */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return mask; }
}
