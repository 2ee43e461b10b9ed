package org.nabla.nn.layers;

import java.util.Arrays;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * Shared base of {@link SpatialDropout1D} and {@link SpatialDropout2D}: in training whole channels are dropped (one
 * draw per example and channel, the same across the steps or pixels) with probability {@code rate} and the rest
 * scaled by 1 / (1 - rate); the identity at inference.
 */
public abstract class SpatialDropout extends Layer {
    private final double rate;
    private final int rank;
    private final RandomDraws draws = new RandomDraws(this);

    SpatialDropout(String name, double rate, int rank) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(name + ": rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
        this.rank = rank;
    }

    /** The probability of dropping a channel. */
    public double rate() { return rate; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], rank, rank == 3 ? "sequences (batch, steps, channels)"
                : "NHWC images (batch, height, width, channels)");
        if (shapes[0].dim(rank - 1) < 0) throw new IllegalArgumentException(describe() + " needs a known channel dim");
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        if (!ctx.training() || rate == 0) return x;
        int[] dims = new int[rank - 1]; // [1, ..., 1, C]: one draw per example and channel
        Arrays.fill(dims, 1);
        dims[rank - 2] = x.shape().dim(rank - 1);
        Tensor keep = Ops.cast(Ops.greaterEqual(draws.uniform(x, 1, dims, ctx, 0), rate), x.dtype());
        return Ops.mul(x, Ops.mul(keep, 1 / (1 - rate)));
    }

    /** The timesteps are kept, so is their mask. */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return mask; }
}
