package org.nabla.nn.layers;

import java.util.concurrent.atomic.AtomicLong;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.CallContext;
import org.nabla.nn.ImageOps;
import org.nabla.nn.Layer;

/**
 * The random draws of the noise and augmentation layers: keyed like Dropout's mask by the model seed, the layer and
 * the model's step counter (a run-time tensor, so each traced step draws anew and a run repeats given the seed). A
 * training call without a step (a layer called by hand) counts its own calls instead.
 */
final class RandomDraws {
    private final Layer layer;
    private final AtomicLong calls = new AtomicLong();

    RandomDraws(Layer layer) { this.layer = layer; }

    private Tensor step(CallContext ctx) {
        return ctx.step() != null ? ctx.step() : Tensors.scalar(calls.getAndIncrement());
    }

    private long seed(CallContext ctx, int stream) {
        return (ctx.seed() * 0x9E3779B97F4A7C15L + layer.seed()) * 31 + stream;
    }

    /** Uniform [0, 1) samples shaped [like.shape[:leading], *dims]; {@code stream} separates a layer's draws. */
    Tensor uniform(Tensor like, int leading, int[] dims, CallContext ctx, int stream) {
        return ImageOps.stepUniform(like, leading, dims, step(ctx), seed(ctx, stream));
    }

    /** Standard normal samples shaped like {@code like}. */
    Tensor normal(Tensor like, CallContext ctx) {
        return ImageOps.stepNormal(like, like.rank(), new int[0], step(ctx), seed(ctx, 0));
    }
}
