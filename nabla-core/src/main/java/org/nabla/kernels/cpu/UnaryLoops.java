package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.TensorSpec;

/**
 * Elementwise unary functions: the scalar semantics per storage kind and one parallel loop per storage kind, with
 * the function as a switch inside the loop (monomorphic). float32 exp, log, log1p, tanh, sin and cos run through
 * {@link VectorMath} (within 2 ulp, bitwise the same before and after JIT compilation); the others compute in float64
 * and round once.
 */
final class UnaryLoops {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final FloatVector ONE = FloatVector.broadcast(F, 1f);
    /** Elements per parallel chunk: smaller than for binary ops because most of these cost more per element. */
    private static final int GRAIN = 1 << 14;

    private UnaryLoops() {}

    /** The unary functions. IsNan, IsFinite and Not write bool. */
    enum Fn {
        NEG, ABS, SIGN, SQUARE, EXP, LOG, LOG1P, SQRT, RSQRT, RECIPROCAL, SIN, COS, TANH, ERF, FLOOR, CEIL, ROUND,
        ATAN, ASIN, ACOS, IS_NAN, IS_FINITE, NOT, INVERT;

        boolean isPredicate() { return this == IS_NAN || this == IS_FINITE; }
    }

    /** {@code f(x)} for a dense offset-0 input. */
    static Tensor apply(KernelContext ctx, Fn f, Tensor x, TensorSpec out) {
        // as in BinaryLoops: float result memory is taken here, so the context need not escape into the loops
        Object floats = f.isPredicate() || !x.dtype().isFloating() ? null
                : ctx.allocate(x.dtype().storage(), x.shape().intSize());
        return apply(f, x, out, floats);
    }

    private static Tensor apply(Fn f, Tensor x, TensorSpec out, Object floats) {
        int n = x.shape().intSize();
        Object result;
        if (f.isPredicate()) {
            byte[] z = new byte[n];
            switch (x.data()) {
                case float[] a -> Parallel.forRange(n, GRAIN, (from, to) -> {
                    for (int i = from; i < to; i++) z[i] = test(f, a[i]);
                });
                case double[] a -> Parallel.forRange(n, GRAIN, (from, to) -> {
                    for (int i = from; i < to; i++) z[i] = test(f, a[i]);
                });
                default -> throw new IllegalStateException("unsupported storage " + x.data().getClass());
            }
            result = z;
        } else {
            result = switch (x.data()) {
                case float[] a -> {
                    float[] z = (float[]) floats;
                    Parallel.forRange(n, GRAIN, (from, to) -> floatRange(f, a, z, from, to));
                    yield z;
                }
                case double[] a -> {
                    double[] z = (double[]) floats;
                    Parallel.forRange(n, GRAIN, (from, to) -> {
                        for (int i = from; i < to; i++) z[i] = apply(f, a[i]);
                    });
                    yield z;
                }
                case int[] a -> { // int32, and uint32 read zero-extended
                    int[] z = new int[n];
                    long mask = x.dtype().valueMask();
                    Parallel.forRange(n, GRAIN, (from, to) -> {
                        for (int i = from; i < to; i++) z[i] = (int) apply(f, a[i] & mask);
                    });
                    yield z;
                }
                case long[] a -> {
                    long[] z = new long[n];
                    boolean unsigned = x.dtype() == DType.UINT64;
                    Parallel.forRange(n, GRAIN, (from, to) -> {
                        for (int i = from; i < to; i++) z[i] = unsigned ? applyUnsigned(f, a[i]) : apply(f, a[i]);
                    });
                    yield z;
                }
                case byte[] a -> { // int8, uint8 (wrapping) and bool for NOT
                    byte[] z = new byte[n];
                    int mask = (int) x.dtype().valueMask();
                    Parallel.forRange(n, GRAIN, (from, to) -> {
                        for (int i = from; i < to; i++) z[i] = (byte) apply(f, (long) (a[i] & mask));
                    });
                    yield z;
                }
                case short[] a -> { // int16 and uint16
                    short[] z = new short[n];
                    int mask = (int) x.dtype().valueMask();
                    Parallel.forRange(n, GRAIN, (from, to) -> {
                        for (int i = from; i < to; i++) z[i] = (short) apply(f, (long) (a[i] & mask));
                    });
                    yield z;
                }
                default -> throw new IllegalStateException("unsupported storage " + x.data().getClass());
            };
        }
        return Tensor.wrap(out.dtype(), out.shape(), result);
    }

    /**
     * A float32 chunk: a vector loop for the vectorized functions, then a scalar tail in float64. Each function's loop
     * is its own small method, so its lanewise operator is a compile-time constant the JIT always turns into vector
     * instructions, whichever functions ran first (one method holding every loop lost that after deoptimizations).
     */
    private static void floatRange(Fn f, float[] a, float[] z, int from, int to) {
        int bound = from + F.loopBound(to - from);
        int i = switch (f) {
            case NEG -> neg(a, z, from, bound);
            case ABS -> abs(a, z, from, bound);
            case SQUARE -> square(a, z, from, bound);
            case EXP -> vectorMath(f, a, z, from, to);
            case LOG -> vectorMath(f, a, z, from, to);
            case LOG1P -> vectorMath(f, a, z, from, to);
            case SQRT -> sqrt(a, z, from, bound);
            case RSQRT -> rsqrt(a, z, from, bound);
            case RECIPROCAL -> reciprocal(a, z, from, bound);
            case SIN -> vectorMath(f, a, z, from, to);
            case COS -> vectorMath(f, a, z, from, to);
            case TANH -> vectorMath(f, a, z, from, to);
            default -> from; // scalar only
        };
        for (; i < to; i++) z[i] = (float) apply(f, (double) a[i]);
    }

    /**
     * exp, log, log1p, tanh, sin and cos through {@link VectorMath} over the whole chunk (its last partial vector
     * masked): no scalar tail, so an element's bits do not depend on its position, and none change when the JIT
     * compiles the loop.
     */
    private static int vectorMath(Fn f, float[] a, float[] z, int from, int to) {
        switch (f) {
            case EXP -> VectorMath.exp(a, from, z, from, to - from);
            case LOG -> VectorMath.log(a, from, z, from, to - from);
            case LOG1P -> VectorMath.log1p(a, from, z, from, to - from);
            case TANH -> VectorMath.tanh(a, from, z, from, to - from);
            case SIN -> VectorMath.sin(a, from, z, from, to - from);
            case COS -> VectorMath.cos(a, from, z, from, to - from);
            default -> throw new AssertionError(f);
        }
        return to;
    }

    private static int neg(float[] a, float[] z, int from, int bound) {
        for (int i = from; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            v.neg().intoArray(z, i);
        }
        return bound;
    }

    private static int abs(float[] a, float[] z, int from, int bound) {
        for (int i = from; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            v.abs().intoArray(z, i);
        }
        return bound;
    }

    private static int square(float[] a, float[] z, int from, int bound) {
        for (int i = from; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            v.mul(v).intoArray(z, i);
        }
        return bound;
    }

    private static int sqrt(float[] a, float[] z, int from, int bound) {
        for (int i = from; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            v.sqrt().intoArray(z, i);
        }
        return bound;
    }

    private static int rsqrt(float[] a, float[] z, int from, int bound) {
        for (int i = from; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            ONE.div(v.sqrt()).intoArray(z, i);
        }
        return bound;
    }

    private static int reciprocal(float[] a, float[] z, int from, int bound) {
        for (int i = from; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            ONE.div(v).intoArray(z, i);
        }
        return bound;
    }

    private static double apply(Fn f, double a) {
        return switch (f) {
            case NEG -> -a;
            case ABS -> Math.abs(a);
            case SIGN -> Math.signum(a);
            case SQUARE -> a * a;
            case EXP -> Math.exp(a);
            case LOG -> Math.log(a);
            case LOG1P -> Math.log1p(a);
            case SQRT -> Math.sqrt(a);
            case RSQRT -> 1 / Math.sqrt(a);
            case RECIPROCAL -> 1 / a;
            case SIN -> Math.sin(a);
            case COS -> Math.cos(a);
            case TANH -> Math.tanh(a);
            case ERF -> FloatMath.erf(a);
            case FLOOR -> Math.floor(a);
            case CEIL -> Math.ceil(a);
            case ROUND -> Math.rint(a); // ties to even
            case ATAN -> Math.atan(a);
            case ASIN -> Math.asin(a);
            case ACOS -> Math.acos(a);
            default -> throw new AssertionError(f);
        };
    }

    /** uint64 bits: Neg and Square wrap as signed ones do; Abs is the identity and Sign is 0 or 1. */
    private static long applyUnsigned(Fn f, long a) {
        return switch (f) {
            case ABS -> a;
            case SIGN -> a == 0 ? 0 : 1;
            default -> apply(f, a);
        };
    }

    /**
     * Integer functions on int64 values; narrower integers arrive by value (unsigned ones zero-extended, so Abs and
     * Sign are right for them) and the caller narrows the result, wrapping.
     */
    private static long apply(Fn f, long a) {
        return switch (f) {
            case NEG -> -a;
            case ABS -> Math.abs(a);
            case SIGN -> Long.signum(a);
            case SQUARE -> a * a;
            case NOT -> a == 0 ? 1 : 0;
            case INVERT -> ~a; // narrower dtypes keep the low bits
            default -> throw new AssertionError(f);
        };
    }

    private static byte test(Fn f, double a) {
        boolean r = f == Fn.IS_NAN ? Double.isNaN(a) : Double.isFinite(a);
        return (byte) (r ? 1 : 0);
    }
}
