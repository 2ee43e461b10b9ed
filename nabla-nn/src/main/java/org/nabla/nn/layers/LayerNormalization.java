package org.nabla.nn.layers;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.CallContext;
import org.nabla.nn.Initializers;
import org.nabla.nn.Layer;
import org.nabla.nn.NormalizationOps;

/**
 * Layer normalization (Keras' {@code LayerNormalization}, Ba et al. 2016): each example is normalized over its last
 * axis, {@code (x - mean) / sqrt(var + epsilon)}, then scaled by {@code gamma} and shifted by {@code beta} (one per
 * feature, ones and zeros at first). Unlike batch normalization it keeps no statistics, so training and inference
 * compute the same.
 */
public final class LayerNormalization extends Layer {
    private final double epsilon;
    private final boolean center;
    private final boolean scale;
    private Variable gamma;
    private Variable beta;

    /** Over the last axis, epsilon 1e-3, with gamma and beta (Keras' defaults). */
    public LayerNormalization() { this(1e-3, true, true); }

    /** Over the last axis with this epsilon; {@code center} adds beta, {@code scale} multiplies by gamma. */
    public LayerNormalization(double epsilon, boolean center, boolean scale) {
        if (!(epsilon > 0)) throw new IllegalArgumentException("LayerNormalization: epsilon must be positive, got "
                + epsilon);
        this.epsilon = epsilon;
        this.center = center;
        this.scale = scale;
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        if (shapes[0].rank() < 2 || shapes[0].dim(-1) < 0) {
            throw new IllegalArgumentException(describe() + " needs inputs of rank >= 2 with a known last dim, got "
                    + shapes[0]);
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        Shape features = Shape.of(in[0].dim(-1));
        if (scale) gamma = addWeight("gamma", features, Initializers.ones(), true);
        if (center) beta = addWeight("beta", features, Initializers.zeros(), true);
    }


    /** Statistics in float32 under a mixed policy (Keras does the same); the output is cast to the compute dtype. */
    @Override
    protected boolean computesInVariableDType() { return true; }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    /**
     * With gamma and beta, in float32 or float64: one fused {@code LayerNorm} op (one pass forward, one backward);
     * otherwise the composed standardization.
     */
    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        if (gamma != null && beta != null && (x.dtype() == DType.FLOAT32 || x.dtype() == DType.FLOAT64)
                && gamma.dtype() == x.dtype()) {
            return NormalizationOps.layerNorm(x, gamma.read(), beta.read(), epsilon);
        }
        return Standardization.scaleAndShift(Standardization.standardize(x, epsilon, -1), gamma, beta);
    }

    /** Normalization keeps every timestep, and so their mask. */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return mask; }
}
