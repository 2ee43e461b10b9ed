package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.CallContext;
import org.nabla.nn.Initializer;
import org.nabla.nn.Initializers;
import org.nabla.nn.Layer;

/**
 * Adds a learned embedding of each position to a sequence (KerasHub's {@code PositionEmbedding} used with
 * {@code add}): [N, T, D] plus a trainable [maxLength, D] table's first T rows, so attention layers, which ignore
 * order, can tell positions apart. The step mask passes through.
 */
public final class PositionEmbedding extends Layer {
    private final int maxLength;
    private Initializer initializer = Initializers.randomUniform(-0.05, 0.05);
    private Variable table;

    /** For sequences of at most {@code maxLength} steps. */
    public PositionEmbedding(int maxLength) {
        if (maxLength < 1) throw new IllegalArgumentException("PositionEmbedding: maxLength must be >= 1, got " + maxLength);
        this.maxLength = maxLength;
    }

    /** The table's initializer (default uniform in [-0.05, 0.05], as Keras' embeddings). */
    public PositionEmbedding initializer(Initializer i) { initializer = i; return this; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        Shape s = shapes[0];
        if (s.rank() != 3 || s.dim(1) < 0 || s.dim(2) < 0 || s.dim(1) > maxLength) {
            throw new IllegalArgumentException(describe() + " expects [batch, time <= " + maxLength
                    + ", features] with known time and features, got " + s);
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        table = addWeight("embeddings", Shape.of(maxLength, in[0].dim(2)), initializer, true);
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        int t = x.shape().dim(1), d = x.shape().dim(2);
        Tensor positions = t == maxLength ? read(table) : Ops.slice(read(table), new int[] {0, 0}, new int[] {t, d});
        return Ops.add(x, positions);
    }

    /** Every step is kept, and so is their mask. */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return mask; }
}
