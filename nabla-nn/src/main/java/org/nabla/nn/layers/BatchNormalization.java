package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.CallContext;
import org.nabla.nn.Initializers;
import org.nabla.nn.Layer;

/**
 * Batch normalization over the last axis (channels). Training: normalizes with the batch mean and (biased) variance
 * over all other axes and updates the non-trainable moving statistics, {@code moving = moving * momentum + batch *
 * (1 - momentum)}; inference: normalizes with the moving statistics. gamma (ones) and beta (zeros) are trainable.
 * With a padding mask (a sequence's, [N, T] for [N, T, C] inputs) the training statistics count the real steps only,
 * as Keras 3's; every step is normalized and the mask passed on.
 */
public final class BatchNormalization extends Layer {
    /** Momentum 0.99, epsilon 1e-3 (Keras' defaults). */
    public BatchNormalization() {}

    private double momentum = 0.99;
    private double epsilon = 1e-3;
    private Variable gamma;
    private Variable beta;
    private Variable movingMean;
    private Variable movingVariance;

    /** Weight of the old moving statistics in each update, in [0, 1] (default 0.99). */
    public BatchNormalization momentum(double m) {
        if (!(m >= 0 && m <= 1)) {
            throw new IllegalArgumentException("BatchNormalization: momentum must be in [0, 1], got " + m);
        }
        momentum = m;
        return this;
    }

    /** Added to the variance before the square root, positive (default 1e-3). */
    public BatchNormalization epsilon(double e) {
        if (!(e > 0)) throw new IllegalArgumentException("BatchNormalization: epsilon must be positive, got " + e);
        epsilon = e;
        return this;
    }

    /** The moving mean per channel (non-trainable; null before building). */
    public Variable movingMean() { return movingMean; }

    /** The moving variance per channel (non-trainable; null before building). */
    public Variable movingVariance() { return movingVariance; }

    /** The scale per channel (trainable; null before building). */
    public Variable gamma() { return gamma; }

    /** The offset per channel (trainable; null before building). */
    public Variable beta() { return beta; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        if (shapes[0].rank() < 2 || shapes[0].dim(-1) < 0) {
            throw new IllegalArgumentException(describe() + " needs inputs of rank >= 2 with known channels, got "
                    + shapes[0]);
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        Shape c = Shape.of(in[0].dim(-1));
        gamma = addWeight("gamma", c, Initializers.ones(), true);
        beta = addWeight("beta", c, Initializers.zeros(), true);
        movingMean = addWeight("moving_mean", c, Initializers.zeros(), false);
        movingVariance = addWeight("moving_variance", c, Initializers.ones(), false);
    }


    /** Statistics in float32 under a mixed policy (Keras does the same); the output is cast to the compute dtype. */
    @Override
    protected boolean computesInVariableDType() { return true; }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    /** The steps and their mask are kept (Keras: supports_masking). */
    @Override
    protected boolean supportsMasking() { return true; }

    /** With a mask in training: the batch statistics of the real steps (Keras' {@code _moments} with a mask). */
    @Override
    protected Tensor[] forwardAll(Tensor[] inputs, Tensor mask, CallContext ctx) {
        if (mask == null || !ctx.training()) return super.forwardAll(inputs, mask, ctx);
        Tensor x = inputs[0];
        if (mask.shape().rank() != x.shape().rank() - 1) {
            throw new IllegalArgumentException(describe() + ": the mask must have one axis less than the inputs, "
                    + "got mask " + mask.shape() + " for inputs " + x.shape());
        }
        int[] axes = reductionAxes(x);
        Tensor real = Ops.expandDims(Ops.cast(mask, x.dtype()), -1);            // [..., 1]: 1 at real steps
        // Keras divides by the count of real steps plus its epsilon 1e-7 (no NaN for a batch without one)
        Tensor count = Ops.add(Ops.sum(Ops.mul(Ops.onesLike(x), real), axes), 1e-7);
        Tensor mean = Ops.div(Ops.sum(Ops.mul(x, real), axes), count);
        Tensor variance = Ops.div(Ops.sum(Ops.square(Ops.mul(Ops.sub(x, mean), real)), axes), count);
        return new Tensor[] {normalizeAndUpdate(x, mean, variance)};
    }

    private static int[] reductionAxes(Tensor x) {
        int[] axes = new int[x.shape().rank() - 1];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        return axes;
    }

    /** Normalizes {@code x} by the batch statistics and moves the moving averages towards them. */
    private Tensor normalizeAndUpdate(Tensor x, Tensor mean, Tensor variance) {
        Tensor inv = Ops.mul(Ops.rsqrt(Ops.add(variance, epsilon)), read(gamma));
        Tensor y = Ops.add(Ops.mul(Ops.sub(x, mean), inv), read(beta));
        double m = momentum;
        movingMean.assign(Ops.add(Ops.mul(movingMean.read(), m), Ops.mul(Ops.stopGradient(mean), 1 - m)));
        movingVariance.assign(Ops.add(Ops.mul(movingVariance.read(), m), Ops.mul(Ops.stopGradient(variance), 1 - m)));
        return y;
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        int rank = x.shape().rank();
        if (!ctx.training()) {
            if (rank == 4) {
                return Ops.batchNormInference(x, read(gamma), read(beta), read(movingMean), read(movingVariance),
                        epsilon, "NHWC");
            }
            Tensor inv = Ops.mul(Ops.rsqrt(Ops.add(read(movingVariance), epsilon)), read(gamma));
            return Ops.add(Ops.mul(Ops.sub(x, read(movingMean)), inv), read(beta));
        }
        int[] axes = new int[rank - 1];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        Tensor mean = Ops.mean(x, axes);
        Tensor centered = Ops.sub(x, mean);
        Tensor variance = Ops.mean(Ops.square(centered), axes);
        Tensor inv = Ops.mul(Ops.rsqrt(Ops.add(variance, epsilon)), read(gamma));
        Tensor y = Ops.add(Ops.mul(centered, inv), read(beta));
        double m = momentum;
        movingMean.assign(Ops.add(Ops.mul(movingMean.read(), m), Ops.mul(Ops.stopGradient(mean), 1 - m)));
        movingVariance.assign(Ops.add(Ops.mul(movingVariance.read(), m), Ops.mul(Ops.stopGradient(variance), 1 - m)));
        return y;
    }
}
