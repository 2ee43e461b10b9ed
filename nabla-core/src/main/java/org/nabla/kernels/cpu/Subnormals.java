package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Flushes subnormal float32 values (magnitude below {@link Float#MIN_NORMAL}, about 1.2e-38) to zero where kernels
 * store state that decays step after step. The CPU handles subnormal operands and results in microcode, tens of
 * cycles each instead of one: an optimizer slot that decays through the subnormal range (Adam's first moment of a
 * weight whose gradient stopped, for ~150 steps) would otherwise slow every step. TensorFlow's and XLA's CPU runtimes
 * get the same effect by running with the processor's flush-to-zero mode, which Java cannot set.
 */
public final class Subnormals {
    private Subnormals() {}

    /** {@code x}, or zero when it is subnormal. */
    public static float flush(float x) { return Math.abs(x) < Float.MIN_NORMAL ? 0f : x; }

    /** {@code x} with its subnormal lanes set to zero. */
    public static FloatVector flush(FloatVector x) {
        return x.blend(0L, x.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
    }
}
