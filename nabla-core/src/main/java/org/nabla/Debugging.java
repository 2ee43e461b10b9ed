package org.nabla;

import org.nabla.kernels.NumericsCheck;

/**
 * Debugging switches, like TensorFlow's {@code tf.debugging}: "check numerics" makes every op (eager and in graphs)
 * fail as soon as it produces a NaN or an infinity, with a message naming the op and summing up its inputs, so the
 * first bad value is found instead of a NaN loss many steps later. For a single tensor use
 * {@link Ops#checkNumerics}.
 */
public final class Debugging {
    private Debugging() {}

    /** Checks every floating output of every op from now on, in every thread ({@code -Dnabla.checkNumerics=true}). */
    public static void enableCheckNumerics() { NumericsCheck.setEnabled(true); }

    /** Stops checking every op's outputs. */
    public static void disableCheckNumerics() { NumericsCheck.setEnabled(false); }

    /** Whether every op's outputs are being checked. */
    public static boolean isCheckNumericsEnabled() { return NumericsCheck.enabled(); }
}
