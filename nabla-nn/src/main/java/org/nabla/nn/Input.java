package org.nabla.nn;

import java.util.concurrent.atomic.AtomicInteger;
import org.nabla.Shape;

/** Model inputs of the functional API: {@code LayerOutput x = Input.of(28, 28, 1)} (the batch dim is implied). */
public final class Input {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Input() {}

    /** A float32 input whose examples have shape {@code dims} (no batch dim). */
    public static LayerOutput of(int... dims) {
        int n = COUNTER.getAndIncrement();
        return named(n == 0 ? "input" : "input_" + n, dims);
    }

    /** A named input. */
    public static LayerOutput named(String name, int... dims) {
        for (int d : dims) {
            if (d <= 0) throw new IllegalArgumentException("Input " + name + ": dims must be positive, got "
                    + java.util.Arrays.toString(dims));
        }
        int[] full = new int[dims.length + 1];
        full[0] = Shape.UNKNOWN;
        System.arraycopy(dims, 0, full, 1, dims.length);
        return new LayerOutput(name, Shape.of(full));
    }
}
