package org.nabla.kernels.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;
import org.nabla.storage.Strided;

/**
 * Broadcasting elementwise binary functions: the scalar semantics of each function per storage kind, and one row
 * routine per storage kind driven by {@link Broadcasting#forEachRow}. The function is a switch inside the row
 * routine, not a lambda per element, so the loops stay monomorphic however many ops share them; float32 and float64
 * Add, Sub, Mul, Div, Maximum and Minimum, and float32 comparisons, take a Vector API path on dense, scalar and
 * row-broadcast rows.
 */
final class BinaryLoops {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Bytes with one lane per float lane, for comparison masks; null where no such vector shape exists. */
    private static final VectorSpecies<Byte> B = byteSpecies(F.length());
    private static final ByteVector BYTE_ONE = B == null ? null : ByteVector.broadcast(B, (byte) 1);

    private BinaryLoops() {}

    /** The binary functions, with the op they serve. Comparisons write bool; the others keep the input dtype. */
    enum Fn {
        ADD("Add", true), SUB("Sub", true), MUL("Mul", true), DIV("Div", true), FLOOR_DIV("FloorDiv", false),
        MOD("Mod", false), POW("Pow", false), MAXIMUM("Maximum", true), MINIMUM("Minimum", true),
        EQUAL("Equal", false), NOT_EQUAL("NotEqual", false), GREATER("Greater", false),
        GREATER_EQUAL("GreaterEqual", false), LESS("Less", false), LESS_EQUAL("LessEqual", false),
        AND("LogicalAnd", false), OR("LogicalOr", false), XOR("LogicalXor", false),
        BITWISE_AND("BitwiseAnd", false), BITWISE_OR("BitwiseOr", false), BITWISE_XOR("BitwiseXor", false),
        LEFT_SHIFT("LeftShift", false), RIGHT_SHIFT("RightShift", false);

        final String op;
        /** True for the functions with a float32/float64 Vector API loop. */
        final boolean vectorized;
        final boolean comparison;

        Fn(String op, boolean vectorized) {
            this.op = op;
            this.vectorized = vectorized;
            this.comparison = op.equals("Equal") || op.equals("NotEqual") || op.startsWith("Greater")
                    || op.startsWith("Less");
        }
    }

    /**
     * {@code f(a, b)} broadcast to {@code out}; inputs are dense from offset 0 with the same dtype. Integers narrower
     * than their loop's type (int8, uint8, int16 and uint16 in int arithmetic; uint32 in long arithmetic) are read by
     * value through {@link DType#valueMask()} and the result keeps the low bits, so arithmetic wraps as in NumPy; uint64
     * has its own unsigned division, remainder, power and ordering.
     */
    static Tensor apply(KernelContext ctx, Fn f, Tensor a, Tensor b, TensorSpec out) {
        // Float results are taken from the context here, in a method small enough to inline into the kernel, so an
        // eager call's context does not escape into the loops below and the JIT can drop it.
        Object floats = f.comparison || !a.dtype().isFloating() ? null
                : ctx.allocate(a.dtype().storage(), out.shape().intSize());
        return apply(f, a, b, out, floats);
    }

    /** {@link #apply(KernelContext, Fn, Tensor, Tensor, TensorSpec)} into {@code floats}, the float result memory. */
    private static Tensor apply(Fn f, Tensor a, Tensor b, TensorSpec out, Object floats) {
        DType dtype = a.dtype();
        if (dtype.isInteger()) checkIntegerOperands(f, b);
        Shape sa = a.shape();
        Shape sb = b.shape();
        Shape so = out.shape();
        int n = so.intSize();
        Object result = f.comparison ? compare(f, dtype, a.data(), b.data(), sa, sb, so, n) : switch (a.data()) {
            case float[] x -> {
                float[] y = (float[]) b.data(), z = (float[]) floats;
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) ->
                        floatRow(f, x, ap, as, y, bp, bs, z, zp, len));
                yield z;
            }
            case double[] x -> {
                double[] y = (double[]) b.data(), z = (double[]) floats;
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) ->
                        doubleRow(f, x, ap, as, y, bp, bs, z, zp, len));
                yield z;
            }
            case int[] x when dtype == DType.UINT32 -> {
                int[] y = (int[]) b.data(), z = new int[n];
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) -> {
                    for (int i = 0; i < len; i++) {
                        z[zp + i] = (int) apply(f, x[ap + i * as] & 0xffffffffL, y[bp + i * bs] & 0xffffffffL);
                    }
                });
                yield z;
            }
            case int[] x -> {
                int[] y = (int[]) b.data(), z = new int[n];
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) -> {
                    for (int i = 0; i < len; i++) z[zp + i] = apply(f, x[ap + i * as], y[bp + i * bs]);
                });
                yield z;
            }
            case long[] x when dtype == DType.UINT64 -> {
                long[] y = (long[]) b.data(), z = new long[n];
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) -> {
                    for (int i = 0; i < len; i++) z[zp + i] = applyUnsigned(f, x[ap + i * as], y[bp + i * bs]);
                });
                yield z;
            }
            case long[] x -> {
                long[] y = (long[]) b.data(), z = new long[n];
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) -> {
                    for (int i = 0; i < len; i++) z[zp + i] = apply(f, x[ap + i * as], y[bp + i * bs]);
                });
                yield z;
            }
            case byte[] x -> { // int8, uint8 and bool (logic ops on 0/1)
                byte[] y = (byte[]) b.data(), z = new byte[n];
                int mask = (int) dtype.valueMask();
                boolean andOr = dtype == DType.BOOL && (f == Fn.AND || f == Fn.OR);
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) -> {
                    if (andOr && (as == 0 || bs == 0)) {
                        boolRow(f == Fn.AND, as == 0 ? x[ap] : y[bp], as == 0 ? y : x, as == 0 ? bp : ap,
                                as == 0 ? bs : as, z, zp, len);
                        return;
                    }
                    for (int i = 0; i < len; i++) {
                        z[zp + i] = (byte) apply(f, x[ap + i * as] & mask, y[bp + i * bs] & mask);
                    }
                });
                yield z;
            }
            case short[] x -> { // int16 and uint16
                short[] y = (short[]) b.data(), z = new short[n];
                int mask = (int) dtype.valueMask();
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) -> {
                    for (int i = 0; i < len; i++) {
                        z[zp + i] = (short) apply(f, x[ap + i * as] & mask, y[bp + i * bs] & mask);
                    }
                });
                yield z;
            }
            default -> throw new IllegalStateException("unsupported storage " + a.data().getClass());
        };
        return Tensor.wrap(out.dtype(), so, result);
    }

    /**
     * A comparison into bool: floats compare as double, integers by value as long (both exact); uint64 compares
     * unsigned by flipping both sign bits.
     */
    private static byte[] compare(Fn f, DType dtype, Object a, Object b, Shape sa, Shape sb, Shape so, int n) {
        byte[] z = new byte[n];
        long mask = dtype.valueMask();
        switch (a) {
            case float[] x -> {
                float[] y = (float[]) b;
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) ->
                        floatCompareRow(f, x, ap, as, y, bp, bs, z, zp, len));
            }
            case double[] x -> {
                double[] y = (double[]) b;
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) -> {
                    for (int i = 0; i < len; i++) z[zp + i] = compare(f, x[ap + i * as], y[bp + i * bs]);
                });
            }
            case int[] x -> {
                int[] y = (int[]) b;
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) -> {
                    for (int i = 0; i < len; i++) z[zp + i] = compare(f, x[ap + i * as] & mask, y[bp + i * bs] & mask);
                });
            }
            case long[] x -> {
                long[] y = (long[]) b;
                long flip = dtype == DType.UINT64 ? Long.MIN_VALUE : 0;
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) -> {
                    for (int i = 0; i < len; i++) z[zp + i] = compare(f, x[ap + i * as] ^ flip, y[bp + i * bs] ^ flip);
                });
            }
            case byte[] x -> { // int8, uint8 and bool
                byte[] y = (byte[]) b;
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) -> {
                    for (int i = 0; i < len; i++) z[zp + i] = compare(f, x[ap + i * as] & mask, y[bp + i * bs] & mask);
                });
            }
            case short[] x -> { // int16 and uint16
                short[] y = (short[]) b;
                Broadcasting.forEachRow(sa, sb, so, (ap, as, bp, bs, zp, len) -> {
                    for (int i = 0; i < len; i++) z[zp + i] = compare(f, x[ap + i * as] & mask, y[bp + i * bs] & mask);
                });
            }
            default -> throw new IllegalStateException("unsupported storage " + a.getClass());
        }
        return z;
    }

    /** Integer Div, FloorDiv and Mod reject a zero divisor, and Pow a negative exponent, before any work. */
    private static void checkIntegerOperands(Fn f, Tensor y) {
        if (f != Fn.DIV && f != Fn.FLOOR_DIV && f != Fn.MOD && f != Fn.POW) return;
        int n = y.shape().intSize(); // the array may be longer than the tensor
        Object data = y.data();
        boolean unsigned = y.dtype().isUnsigned();
        for (int i = 0; i < n; i++) {
            long v = Strided.readLong(data, i, y.dtype());
            if (f == Fn.POW ? unsigned || v >= 0 : v != 0) continue;
            if (f == Fn.POW) {
                throw new OpException(f.op, "integers cannot be raised to a negative power: exponent y " + y.spec()
                        + " holds " + v + " at flat index " + i + "; cast to a float dtype first");
            }
            throw new OpException(f.op, "integer division by zero: divisor y " + y.spec() + " holds 0 at flat index "
                    + i);
        }
    }

    /**
     * A bool AND (or OR) row where one side is one value broadcast along the row (a [N, T, 1] mask against a
     * [N, 1, T] one): the row is all 0 (all 1), or the other side's row as 0/1.
     */
    private static void boolRow(boolean and, byte one, byte[] other, int op, int os, byte[] z, int zp, int len) {
        if ((one != 0) != and) {
            java.util.Arrays.fill(z, zp, zp + len, (byte) (and ? 0 : 1));
            return;
        }
        for (int i = 0; i < len; i++) z[zp + i] = (byte) (other[op + i * os] != 0 ? 1 : 0);
    }

    /**
     * A float32 row: vector loops for dense/broadcast operands of the hot functions, then a scalar tail. Each vector
     * loop sits in its own small method: one method holding all of them compiled measurably slower.
     */
    private static void floatRow(Fn f, float[] x, int ap, int as, float[] y, int bp, int bs, float[] z, int zp,
            int len) {
        int i = 0;
        if (f.vectorized) {
            if (as == 1 && bs == 1) i = vectorRow(f, x, ap, y, bp, z, zp, len);
            else if (as == 1 && bs == 0) i = vectorRow(f, x, ap, y[bp], false, z, zp, len);
            else if (as == 0 && bs == 1) i = vectorRow(f, y, bp, x[ap], true, z, zp, len);
        }
        for (; i < len; i++) z[zp + i] = apply(f, x[ap + i * as], y[bp + i * bs]);
    }

    /**
     * Dense rows; returns how many elements it did (the rest is the scalar tail). One loop per function, each calling
     * the Vector API directly: a shared loop calling a small switch method per vector ran allocating
     * (boxed vectors, ~75 MB per spam-Transformer step, 4x slower Adds) whenever C2 compiled that switch as a call of
     * its own instead of inlining it, which depended on the order of compilations.
     */
    private static int vectorRow(Fn f, float[] x, int ap, float[] y, int bp, float[] z, int zp, int len) {
        int bound = F.loopBound(len), n = F.length();
        switch (f) {
            case ADD -> {
                for (int i = 0; i < bound; i += n) {
                    FloatVector.fromArray(F, x, ap + i).add(FloatVector.fromArray(F, y, bp + i)).intoArray(z, zp + i);
                }
            }
            case SUB -> {
                for (int i = 0; i < bound; i += n) {
                    FloatVector.fromArray(F, x, ap + i).sub(FloatVector.fromArray(F, y, bp + i)).intoArray(z, zp + i);
                }
            }
            case MUL -> {
                for (int i = 0; i < bound; i += n) {
                    FloatVector.fromArray(F, x, ap + i).mul(FloatVector.fromArray(F, y, bp + i)).intoArray(z, zp + i);
                }
            }
            case DIV -> {
                for (int i = 0; i < bound; i += n) {
                    FloatVector.fromArray(F, x, ap + i).div(FloatVector.fromArray(F, y, bp + i)).intoArray(z, zp + i);
                }
            }
            case MAXIMUM -> {
                for (int i = 0; i < bound; i += n) {
                    FloatVector.fromArray(F, x, ap + i).max(FloatVector.fromArray(F, y, bp + i)).intoArray(z, zp + i);
                }
            }
            case MINIMUM -> {
                for (int i = 0; i < bound; i += n) {
                    FloatVector.fromArray(F, x, ap + i).min(FloatVector.fromArray(F, y, bp + i)).intoArray(z, zp + i);
                }
            }
            default -> throw new AssertionError(f);
        }
        return bound;
    }

    /**
     * One dense operand and one scalar, {@code s (f) v} when {@code scalarFirst}, else {@code v (f) s}; one loop per
     * function as in the dense rows. Add, Mul, Maximum and Minimum give the same bits in either order (IEEE addition
     * and multiplication commute; max and min follow Math.max and Math.min, which are symmetric but for NaN payloads).
     */
    private static int vectorRow(Fn f, float[] v, int vp, float scalar, boolean scalarFirst, float[] z, int zp,
            int len) {
        int bound = F.loopBound(len), n = F.length();
        FloatVector s = FloatVector.broadcast(F, scalar);
        switch (f) {
            case ADD -> {
                for (int i = 0; i < bound; i += n) FloatVector.fromArray(F, v, vp + i).add(s).intoArray(z, zp + i);
            }
            case MUL -> {
                for (int i = 0; i < bound; i += n) FloatVector.fromArray(F, v, vp + i).mul(s).intoArray(z, zp + i);
            }
            case MAXIMUM -> {
                for (int i = 0; i < bound; i += n) FloatVector.fromArray(F, v, vp + i).max(s).intoArray(z, zp + i);
            }
            case MINIMUM -> {
                for (int i = 0; i < bound; i += n) FloatVector.fromArray(F, v, vp + i).min(s).intoArray(z, zp + i);
            }
            case SUB -> {
                if (scalarFirst) {
                    for (int i = 0; i < bound; i += n) s.sub(FloatVector.fromArray(F, v, vp + i)).intoArray(z, zp + i);
                } else {
                    for (int i = 0; i < bound; i += n) FloatVector.fromArray(F, v, vp + i).sub(s).intoArray(z, zp + i);
                }
            }
            case DIV -> {
                if (scalarFirst) {
                    for (int i = 0; i < bound; i += n) s.div(FloatVector.fromArray(F, v, vp + i)).intoArray(z, zp + i);
                } else {
                    for (int i = 0; i < bound; i += n) FloatVector.fromArray(F, v, vp + i).div(s).intoArray(z, zp + i);
                }
            }
            default -> throw new AssertionError(f);
        }
        return bound;
    }

    /** The float64 twin of {@link #floatRow}. */
    private static void doubleRow(Fn f, double[] x, int ap, int as, double[] y, int bp, int bs, double[] z, int zp,
            int len) {
        int i = 0;
        if (f.vectorized) {
            if (as == 1 && bs == 1) i = vectorRow(f, x, ap, y, bp, z, zp, len);
            else if (as == 1 && bs == 0) i = vectorRow(f, x, ap, y[bp], false, z, zp, len);
            else if (as == 0 && bs == 1) i = vectorRow(f, y, bp, x[ap], true, z, zp, len);
        }
        for (; i < len; i++) z[zp + i] = apply(f, x[ap + i * as], y[bp + i * bs]);
    }

    private static int vectorRow(Fn f, double[] x, int ap, double[] y, int bp, double[] z, int zp, int len) {
        int bound = D.loopBound(len);
        for (int i = 0; i < bound; i += D.length()) {
            vector(f, DoubleVector.fromArray(D, x, ap + i), DoubleVector.fromArray(D, y, bp + i)).intoArray(z, zp + i);
        }
        return bound;
    }

    private static int vectorRow(Fn f, double[] v, int vp, double scalar, boolean scalarFirst, double[] z, int zp,
            int len) {
        int bound = D.loopBound(len);
        DoubleVector s = DoubleVector.broadcast(D, scalar);
        if (scalarFirst) {
            for (int i = 0; i < bound; i += D.length()) {
                vector(f, s, DoubleVector.fromArray(D, v, vp + i)).intoArray(z, zp + i);
            }
        } else {
            for (int i = 0; i < bound; i += D.length()) {
                vector(f, DoubleVector.fromArray(D, v, vp + i), s).intoArray(z, zp + i);
            }
        }
        return bound;
    }

    private static DoubleVector vector(Fn f, DoubleVector a, DoubleVector b) {
        return switch (f) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case MAXIMUM -> a.max(b);
            case MINIMUM -> a.min(b);
            default -> throw new AssertionError(f);
        };
    }

    /**
     * A float32 comparison row: vector compares whose masks become 0/1 bytes when a byte vector with as many lanes
     * exists ({@link #B} non-null), then a scalar tail.
     */
    private static void floatCompareRow(Fn f, float[] x, int ap, int as, float[] y, int bp, int bs, byte[] z, int zp,
            int len) {
        int i = 0;
        if (B != null) {
            if (as == 1 && bs == 1) i = compareRow(f, x, ap, y, bp, z, zp, len);
            else if (as == 1 && bs == 0) i = compareRow(f, x, ap, y[bp], false, z, zp, len);
            else if (as == 0 && bs == 1) i = compareRow(f, y, bp, x[ap], true, z, zp, len);
        }
        for (; i < len; i++) z[zp + i] = compare(f, x[ap + i * as], y[bp + i * bs]);
    }

    private static int compareRow(Fn f, float[] x, int ap, float[] y, int bp, byte[] z, int zp, int len) {
        int bound = F.loopBound(len);
        for (int i = 0; i < bound; i += F.length()) {
            ByteVector mask = bytes(mask(f, FloatVector.fromArray(F, x, ap + i), FloatVector.fromArray(F, y, bp + i)));
            mask.intoArray(z, zp + i);
        }
        return bound;
    }

    private static int compareRow(Fn f, float[] v, int vp, float scalar, boolean scalarFirst, byte[] z, int zp,
            int len) {
        int bound = F.loopBound(len);
        FloatVector s = FloatVector.broadcast(F, scalar);
        if (scalarFirst) {
            for (int i = 0; i < bound; i += F.length()) {
                bytes(mask(f, s, FloatVector.fromArray(F, v, vp + i))).intoArray(z, zp + i);
            }
        } else {
            for (int i = 0; i < bound; i += F.length()) {
                bytes(mask(f, FloatVector.fromArray(F, v, vp + i), s)).intoArray(z, zp + i);
            }
        }
        return bound;
    }

    /** Java's comparison semantics lane by lane: every comparison with NaN is false except NOT_EQUAL. */
    private static VectorMask<Float> mask(Fn f, FloatVector a, FloatVector b) {
        return switch (f) {
            case EQUAL -> a.compare(VectorOperators.EQ, b);
            case NOT_EQUAL -> a.compare(VectorOperators.NE, b);
            case GREATER -> a.compare(VectorOperators.GT, b);
            case GREATER_EQUAL -> a.compare(VectorOperators.GE, b);
            case LESS -> a.compare(VectorOperators.LT, b);
            case LESS_EQUAL -> a.compare(VectorOperators.LE, b);
            default -> throw new AssertionError(f);
        };
    }

    private static ByteVector bytes(VectorMask<Float> mask) { return ByteVector.zero(B).blend(BYTE_ONE, mask.cast(B)); }

    private static VectorSpecies<Byte> byteSpecies(int lanes) {
        try {
            return VectorSpecies.of(byte.class, VectorShape.forBitSize(lanes * 8));
        } catch (IllegalArgumentException e) {
            return null; // e.g. 4 float lanes would need 32-bit byte vectors: use the scalar loop
        }
    }

    private static float apply(Fn f, float a, float b) {
        return switch (f) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case FLOOR_DIV -> (float) Math.floor(a / b);
            case MOD -> { float m = a % b; yield m != 0 && (m < 0) != (b < 0) ? m + b : m; }
            case POW -> (float) Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            default -> throw new AssertionError(f);
        };
    }

    private static double apply(Fn f, double a, double b) {
        return switch (f) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case FLOOR_DIV -> Math.floor(a / b);
            case MOD -> { double m = a % b; yield m != 0 && (m < 0) != (b < 0) ? m + b : m; }
            case POW -> Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            default -> throw new AssertionError(f);
        };
    }

    /**
     * int32 arithmetic (wrapping), also used for int8, uint8, int16 and uint16 values (the caller keeps the low bits)
     * and for the logic functions on bool 0/1.
     */
    private static int apply(Fn f, int a, int b) {
        return switch (f) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case FLOOR_DIV -> Math.floorDiv(a, b);
            case MOD -> Math.floorMod(a, b);
            case POW -> FloatMath.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case AND, BITWISE_AND -> a & b;
            case OR, BITWISE_OR -> a | b;
            case XOR, BITWISE_XOR -> a ^ b;
            // Narrow unsigned values arrive zero-extended, so >> is logical for them; shifts past 31 bits give 0 or
            // the sign (Java would take the count mod 32).
            case LEFT_SHIFT -> b >= 32 || b < 0 ? 0 : a << b;
            case RIGHT_SHIFT -> b >= 32 || b < 0 ? a >> 31 : a >> b;
            default -> throw new AssertionError(f);
        };
    }

    private static long apply(Fn f, long a, long b) {
        return switch (f) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case FLOOR_DIV -> Math.floorDiv(a, b);
            case MOD -> Math.floorMod(a, b);
            case POW -> FloatMath.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case BITWISE_AND -> a & b;
            case BITWISE_OR -> a | b;
            case BITWISE_XOR -> a ^ b;
            case LEFT_SHIFT -> b >= 64 || b < 0 ? 0 : a << b;
            case RIGHT_SHIFT -> b >= 64 || b < 0 ? a >> 63 : a >> b;
            default -> throw new AssertionError(f);
        };
    }

    /**
     * uint64 arithmetic on the bits: addition, subtraction, multiplication and powers are the same bits as signed
     * (mod 2^64); division, remainder (floor and truncation agree for non-negative values) and ordering are unsigned.
     */
    private static long applyUnsigned(Fn f, long a, long b) {
        return switch (f) {
            case DIV, FLOOR_DIV -> Long.divideUnsigned(a, b);
            case MOD -> Long.remainderUnsigned(a, b);
            case POW -> FloatMath.powUnsigned(a, b);
            case MAXIMUM -> Long.compareUnsigned(a, b) >= 0 ? a : b;
            case MINIMUM -> Long.compareUnsigned(a, b) <= 0 ? a : b;
            case RIGHT_SHIFT -> b >= 64 || b < 0 ? 0 : a >>> b;
            default -> apply(f, a, b);
        };
    }

    /** IEEE comparison (every ordered comparison with NaN is false; NaN != NaN). */
    private static byte compare(Fn f, double a, double b) {
        boolean r = switch (f) {
            case EQUAL -> a == b;
            case NOT_EQUAL -> a != b;
            case GREATER -> a > b;
            case GREATER_EQUAL -> a >= b;
            case LESS -> a < b;
            case LESS_EQUAL -> a <= b;
            default -> throw new AssertionError(f);
        };
        return (byte) (r ? 1 : 0);
    }

    private static byte compare(Fn f, long a, long b) {
        boolean r = switch (f) {
            case EQUAL -> a == b;
            case NOT_EQUAL -> a != b;
            case GREATER -> a > b;
            case GREATER_EQUAL -> a >= b;
            case LESS -> a < b;
            case LESS_EQUAL -> a <= b;
            default -> throw new AssertionError(f);
        };
        return (byte) (r ? 1 : 0);
    }
}
