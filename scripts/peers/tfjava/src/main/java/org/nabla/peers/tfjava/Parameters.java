package org.nabla.peers.tfjava;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * A model's trainable weights as TensorFlow resource variables (VarHandleOp), with Keras' initial values (Glorot
 * uniform kernels, zero biases) drawn here from a seeded generator. Each weight is read once per graph run; the
 * reads are what the forward pass uses and what gradients are taken with respect to.
 */
final class Parameters {
    /** One variable: its handle, the value the forward pass reads, and its shape. */
    record Weight(String name, Operand<? extends TType> handle, Operand<TFloat32> read, Shape shape) {}

    private final Ops tf;
    private final SplittableRandom rng;
    private final List<Weight> weights = new ArrayList<>();
    private final List<Op> initializers = new ArrayList<>();

    Parameters(Ops tf, long seed) {
        this.tf = tf;
        this.rng = new SplittableRandom(seed);
    }

    /** A Glorot-uniform kernel of the given shape: the last axis is fan-out, the product of the others fan-in. */
    Operand<TFloat32> kernel(String name, long... shape) {
        long fanOut = shape[shape.length - 1];
        long fanIn = Shape.of(shape).size() / fanOut;
        // Keras' GlorotUniform: fan-in and fan-out of a convolution kernel both count its receptive field.
        long field = shape.length == 4 ? shape[0] * shape[1] : 1;
        double limit = Math.sqrt(6.0 / (fanIn + fanOut * field));
        float[] values = new float[Math.toIntExact(Shape.of(shape).size())];
        for (int i = 0; i < values.length; i++) values[i] = (float) ((2 * rng.nextDouble() - 1) * limit);
        return add(name, Shape.of(shape), values);
    }

    /** A zero bias of length n. */
    Operand<TFloat32> bias(String name, long n) {
        return add(name, Shape.of(n), new float[Math.toIntExact(n)]);
    }

    /** A variable holding a constant initial value (also used for optimizer state, which is not a parameter). */
    Weight variable(String name, Shape shape, float[] initial) {
        Operand<? extends TType> handle = tf.withName(name)
                .varHandleOp(TFloat32.class, shape, VarHandleOp.sharedName(name));
        initializers.add(tf.assignVariableOp(handle, tf.constant(shape, DataBuffers.of(initial, true, false))));
        return new Weight(name, handle, tf.withName(name + "_read").readVariableOp(handle, TFloat32.class), shape);
    }

    private Operand<TFloat32> add(String name, Shape shape, float[] values) {
        Weight w = variable(name, shape, values);
        weights.add(w);
        return w.read();
    }

    List<Weight> weights() {
        return List.copyOf(weights);
    }

    /** The number of trainable values, to compare with Nabla's model (mlp 101,770, cnn 34,826). */
    long count() {
        return weights.stream().mapToLong(w -> w.shape().size()).sum();
    }

    /** The ops that set every variable made so far to its initial value; run once before the first step. */
    List<Op> initializers() {
        return List.copyOf(initializers);
    }
}
