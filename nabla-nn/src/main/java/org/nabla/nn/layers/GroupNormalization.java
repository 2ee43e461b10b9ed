package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.CallContext;
import org.nabla.nn.Initializers;
import org.nabla.nn.Layer;

/**
 * Group normalization (Keras' {@code GroupNormalization}, Wu and He 2018): the channels (last axis) are split into
 * {@code groups}; each example is normalized per group over all its other axes, {@code (x - mean) / sqrt(var +
 * epsilon)}, then scaled by gamma and shifted by beta per channel. One group is layer normalization over all axes;
 * one channel per group is instance normalization.
 */
public final class GroupNormalization extends Layer {
    private final int groups;
    private final double epsilon;
    private final boolean center;
    private final boolean scale;
    private Variable gamma;
    private Variable beta;

    /** {@code groups} groups, epsilon 1e-3, with gamma and beta (Keras' defaults but for the group count). */
    public GroupNormalization(int groups) { this(groups, 1e-3, true, true); }

    /** These settings; throws for fewer than one group or a non-positive epsilon. */
    public GroupNormalization(int groups, double epsilon, boolean center, boolean scale) {
        if (groups < 1 || !(epsilon > 0)) {
            throw new IllegalArgumentException("GroupNormalization: need groups >= 1 and epsilon > 0, got " + groups
                    + " and " + epsilon);
        }
        this.groups = groups;
        this.epsilon = epsilon;
        this.center = center;
        this.scale = scale;
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        Shape s = shapes[0];
        boolean known = s.rank() >= 2;
        for (int i = 1; i < s.rank(); i++) known &= s.dim(i) >= 0;
        if (!known || s.dim(-1) % groups != 0) {
            throw new IllegalArgumentException(describe() + " needs known dims beyond the batch and channels "
                    + "divisible by " + groups + " groups, got " + s);
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        Shape channels = Shape.of(in[0].dim(-1));
        if (scale) gamma = addWeight("gamma", channels, Initializers.ones(), true);
        if (center) beta = addWeight("beta", channels, Initializers.zeros(), true);
    }


    /** Statistics in float32 under a mixed policy (Keras does the same); the output is cast to the compute dtype. */
    @Override
    protected boolean computesInVariableDType() { return true; }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    /** The steps and their mask are kept (Keras: supports_masking). */
    @Override
    protected boolean supportsMasking() { return true; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        int[] d = x.shape().dims();
        int c = d[d.length - 1];
        // [N, ..., C] -> [N, S, G, C/G]: statistics over S and C/G for each (example, group)
        int spatial = 1;
        for (int i = 1; i < d.length - 1; i++) spatial *= d[i];
        Tensor g = Ops.reshape(x, -1, spatial, groups, c / groups);
        Tensor y = Ops.reshape(Standardization.standardize(g, epsilon, 1, 3), withBatchUnknown(d));
        return Standardization.scaleAndShift(y, gamma, beta);
    }

    private static int[] withBatchUnknown(int[] d) {
        int[] out = d.clone();
        out[0] = -1;
        return out;
    }
}
