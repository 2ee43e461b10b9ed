package org.nabla.ops;

/**
 * Elementwise math and logic: arithmetic, unary functions, comparisons, logical ops, select, cast and clip.
 * Binary ops broadcast with NumPy's rules and require equal dtypes.
 */
public final class MathOps {
    private MathOps() {}

    public static final OpDef ADD = OpDef.builder("Add").inputs("x", "y")
            .shape((in, a) -> Infer.numericBinary("Add", in))
            .summary("x + y, elementwise with broadcasting").build();
}
