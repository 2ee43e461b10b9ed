package org.nabla.nn;

import java.util.Objects;
import org.nabla.DType;

/**
 * Which dtype a layer keeps its weights in and which it computes in: Keras 3's {@code DTypePolicy}. The plain
 * policies ({@code float32}, {@code float64}) use one dtype for both; the mixed ones ({@code mixed_float16},
 * {@code mixed_bfloat16}) keep float32 weights (so small updates are not rounded away) and compute in the 16-bit
 * dtype: a layer casts its floating inputs and reads its weights in the compute dtype, and its outputs are 16-bit.
 * As in Keras, softmax outputs, normalization statistics and losses stay in float32.
 *
 * <p>Set one for every layer made afterwards with {@link #setGlobal} (Keras' {@code set_global_policy}), or per layer
 * with {@link Layer#dtypePolicy(DTypePolicy)}. With {@code mixed_float16}, train with a
 * {@link org.nabla.nn.optimizers.LossScaleOptimizer} so that small gradients do not underflow.
 */
public record DTypePolicy(String name, DType variableDType, DType computeDType) {
    /** Weights and computation in float32 (the default). */
    public static final DTypePolicy FLOAT32 = new DTypePolicy("float32", DType.FLOAT32, DType.FLOAT32);
    /** Weights and computation in float64. */
    public static final DTypePolicy FLOAT64 = new DTypePolicy("float64", DType.FLOAT64, DType.FLOAT64);
    /** float32 weights, float16 computation. */
    public static final DTypePolicy MIXED_FLOAT16 = new DTypePolicy("mixed_float16", DType.FLOAT32, DType.FLOAT16);
    /** float32 weights, bfloat16 computation. */
    public static final DTypePolicy MIXED_BFLOAT16 = new DTypePolicy("mixed_bfloat16", DType.FLOAT32,
            DType.BFLOAT16);

    private static volatile DTypePolicy global = FLOAT32;

    /** Checks the fields. */
    public DTypePolicy {
        Objects.requireNonNull(name, "name");
        if (!variableDType.isFloating() || !computeDType.isFloating()) {
            throw new IllegalArgumentException("dtype policy '" + name + "' needs floating dtypes, got variables "
                    + variableDType + " and compute " + computeDType);
        }
    }

    /** The policy named {@code name}: {@code float32}, {@code float64}, {@code mixed_float16}, {@code mixed_bfloat16}. */
    public static DTypePolicy of(String name) {
        return switch (name) {
            case "float32" -> FLOAT32;
            case "float64" -> FLOAT64;
            case "mixed_float16" -> MIXED_FLOAT16;
            case "mixed_bfloat16" -> MIXED_BFLOAT16;
            default -> throw new IllegalArgumentException("unknown dtype policy '" + name
                    + "', expected float32, float64, mixed_float16 or mixed_bfloat16");
        };
    }

    /** The policy layers get when they are made (float32 unless {@link #setGlobal} changed it). */
    public static DTypePolicy global() { return global; }

    /** Sets the policy of the layers made from now on (Keras' {@code keras.mixed_precision.set_global_policy}). */
    public static void setGlobal(DTypePolicy policy) { global = Objects.requireNonNull(policy, "policy"); }

    /** Whether weights and computation differ in dtype. */
    public boolean isMixed() { return variableDType != computeDType; }

    @Override
    public String toString() { return name; }
}
