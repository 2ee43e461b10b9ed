package org.nabla.kernels.cpu;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.MathOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.TensorSpec;
import org.nabla.storage.ComplexParts;
import org.nabla.storage.HalfFloats;
import org.nabla.storage.LowPrecision;
import org.nabla.storage.Strided;

/**
 * CPU kernels for {@link MathOps}. Binary functions run in {@link BinaryLoops}, unary ones in {@link UnaryLoops};
 * this class registers them per dtype and holds the few kernels with their own loops (Clip, Select, Cast).
 */
public final class CpuMathKernels {
    private CpuMathKernels() {}

    // float16 and bfloat16 are left out of the arithmetic lists: they run the float32 kernels (KernelRegistry widens
    // them); only Select and Cast, which move or convert bits, have kernels of their own.
    // Complex dtypes are left out of every list built from DType.values(): their kernels (ComplexKernels) are
    // registered on their own, and Select gets them from the float kernels run on each part (ComplexSplitKernel).
    private static final List<DType> NUMERIC = Arrays.stream(DType.values())
            .filter(d -> d.isNumeric() && !d.isHalfPrecision() && !d.isComplex()).toList();
    private static final List<DType> FLOATS = List.of(DType.FLOAT32, DType.FLOAT64);
    private static final List<DType> ALL = Arrays.stream(DType.values())
            .filter(d -> d != DType.STRING && !d.isComplex()).toList();
    private static final List<DType> ALL_AND_STRING = Arrays.stream(DType.values()).filter(d -> !d.isComplex())
            .toList();
    private static final List<DType> COMPARABLE = Arrays.stream(DType.values())
            .filter(d -> !d.isHalfPrecision() && d != DType.STRING && !d.isComplex() && !d.isLowPrecision())
            .toList();
    private static final List<DType> BOOL = List.of(DType.BOOL);
    private static final List<DType> INTEGERS = Arrays.stream(DType.values()).filter(DType::isInteger).toList();

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        binary(r, MathOps.ADD, BinaryLoops.Fn.ADD, NUMERIC);
        binary(r, MathOps.SUB, BinaryLoops.Fn.SUB, NUMERIC);
        binary(r, MathOps.MUL, BinaryLoops.Fn.MUL, NUMERIC);
        binary(r, MathOps.DIV, BinaryLoops.Fn.DIV, NUMERIC);
        binary(r, MathOps.FLOOR_DIV, BinaryLoops.Fn.FLOOR_DIV, NUMERIC);
        binary(r, MathOps.MOD, BinaryLoops.Fn.MOD, NUMERIC);
        binary(r, MathOps.POW, BinaryLoops.Fn.POW, NUMERIC);
        binary(r, MathOps.MAXIMUM, BinaryLoops.Fn.MAXIMUM, NUMERIC);
        binary(r, MathOps.MINIMUM, BinaryLoops.Fn.MINIMUM, NUMERIC);
        binary(r, MathOps.EQUAL, BinaryLoops.Fn.EQUAL, COMPARABLE);
        binary(r, MathOps.NOT_EQUAL, BinaryLoops.Fn.NOT_EQUAL, COMPARABLE);
        r.register(MathOps.EQUAL, CpuDevice.TYPE, DType.STRING, ctx -> new Tensor[] {
            StringEquality.apply(ctx.input(0), ctx.input(1), ctx.outputSpec(0), true)});
        r.register(MathOps.NOT_EQUAL, CpuDevice.TYPE, DType.STRING, ctx -> new Tensor[] {
            StringEquality.apply(ctx.input(0), ctx.input(1), ctx.outputSpec(0), false)});
        binary(r, MathOps.GREATER, BinaryLoops.Fn.GREATER, NUMERIC);
        binary(r, MathOps.GREATER_EQUAL, BinaryLoops.Fn.GREATER_EQUAL, NUMERIC);
        binary(r, MathOps.LESS, BinaryLoops.Fn.LESS, NUMERIC);
        binary(r, MathOps.LESS_EQUAL, BinaryLoops.Fn.LESS_EQUAL, NUMERIC);
        binary(r, MathOps.LOGICAL_AND, BinaryLoops.Fn.AND, BOOL);
        binary(r, MathOps.LOGICAL_OR, BinaryLoops.Fn.OR, BOOL);
        binary(r, MathOps.LOGICAL_XOR, BinaryLoops.Fn.XOR, BOOL);
        binary(r, MathOps.BITWISE_AND, BinaryLoops.Fn.BITWISE_AND, INTEGERS);
        binary(r, MathOps.BITWISE_OR, BinaryLoops.Fn.BITWISE_OR, INTEGERS);
        binary(r, MathOps.BITWISE_XOR, BinaryLoops.Fn.BITWISE_XOR, INTEGERS);
        binary(r, MathOps.LEFT_SHIFT, BinaryLoops.Fn.LEFT_SHIFT, INTEGERS);
        binary(r, MathOps.RIGHT_SHIFT, BinaryLoops.Fn.RIGHT_SHIFT, INTEGERS);
        unary(r, MathOps.INVERT, UnaryLoops.Fn.INVERT, INTEGERS);
        unary(r, MathOps.ATAN, UnaryLoops.Fn.ATAN, FLOATS);
        unary(r, MathOps.ASIN, UnaryLoops.Fn.ASIN, FLOATS);
        unary(r, MathOps.ACOS, UnaryLoops.Fn.ACOS, FLOATS);

        unary(r, MathOps.NEG, UnaryLoops.Fn.NEG, NUMERIC);
        unary(r, MathOps.ABS, UnaryLoops.Fn.ABS, NUMERIC);
        unary(r, MathOps.SIGN, UnaryLoops.Fn.SIGN, NUMERIC);
        unary(r, MathOps.SQUARE, UnaryLoops.Fn.SQUARE, NUMERIC);
        unary(r, MathOps.EXP, UnaryLoops.Fn.EXP, FLOATS);
        unary(r, MathOps.LOG, UnaryLoops.Fn.LOG, FLOATS);
        unary(r, MathOps.LOG1P, UnaryLoops.Fn.LOG1P, FLOATS);
        unary(r, MathOps.SQRT, UnaryLoops.Fn.SQRT, FLOATS);
        unary(r, MathOps.RSQRT, UnaryLoops.Fn.RSQRT, FLOATS);
        unary(r, MathOps.RECIPROCAL, UnaryLoops.Fn.RECIPROCAL, FLOATS);
        unary(r, MathOps.SIN, UnaryLoops.Fn.SIN, FLOATS);
        unary(r, MathOps.COS, UnaryLoops.Fn.COS, FLOATS);
        unary(r, MathOps.TANH, UnaryLoops.Fn.TANH, FLOATS);
        unary(r, MathOps.ERF, UnaryLoops.Fn.ERF, FLOATS);
        unary(r, MathOps.FLOOR, UnaryLoops.Fn.FLOOR, FLOATS);
        unary(r, MathOps.CEIL, UnaryLoops.Fn.CEIL, FLOATS);
        unary(r, MathOps.ROUND, UnaryLoops.Fn.ROUND, FLOATS);
        unary(r, MathOps.IS_NAN, UnaryLoops.Fn.IS_NAN, FLOATS);
        unary(r, MathOps.IS_FINITE, UnaryLoops.Fn.IS_FINITE, FLOATS);
        unary(r, MathOps.LOGICAL_NOT, UnaryLoops.Fn.NOT, BOOL);

        r.register(MathOps.CLIP, CpuDevice.TYPE, NUMERIC, ctx -> {
            Tensor low = BinaryLoops.apply(ctx, BinaryLoops.Fn.MAXIMUM, ctx.input(0), ctx.input(1), ctx.outputSpec(0));
            return new Tensor[] {BinaryLoops.apply(ctx, BinaryLoops.Fn.MINIMUM, low, ctx.input(2), ctx.outputSpec(0))};
        });
        r.register(MathOps.SELECT, CpuDevice.TYPE, ALL_AND_STRING, ctx -> new Tensor[] {
            select(ctx.input(0), ctx.input(1), ctx.input(2), ctx.outputSpec(0))});
        r.register(MathOps.BITCAST, CpuDevice.TYPE, ALL, ctx -> new Tensor[] {
            Tensor.wrap(ctx.outputSpec(0).dtype(), ctx.outputSpec(0).shape(),
                    bitcast(ctx.input(0).dense().data(), ctx.outputSpec(0).dtype().storage()))});
        r.register(MathOps.CAST, CpuDevice.TYPE, List.of(DType.values()), ctx -> {
            Tensor x = ctx.input(0);
            TensorSpec out = ctx.outputSpec(0);
            return new Tensor[] {x.dtype() == out.dtype() ? x : Tensor.wrap(out.dtype(), out.shape(),
                    cast(x, out.dtype()))};
        });
    }

    /** The same bits in the storage array of another dtype of the same width (float[] and int[], say). */
    private static Object bitcast(Object data, DType.Storage to) {
        return switch (data) {
            case float[] f when to == DType.Storage.INT -> {
                int[] z = new int[f.length];
                for (int i = 0; i < f.length; i++) z[i] = Float.floatToRawIntBits(f[i]);
                yield z;
            }
            case int[] v when to == DType.Storage.FLOAT -> {
                float[] z = new float[v.length];
                for (int i = 0; i < v.length; i++) z[i] = Float.intBitsToFloat(v[i]);
                yield z;
            }
            case double[] d when to == DType.Storage.LONG -> {
                long[] z = new long[d.length];
                for (int i = 0; i < d.length; i++) z[i] = Double.doubleToRawLongBits(d[i]);
                yield z;
            }
            case long[] v when to == DType.Storage.DOUBLE -> {
                double[] z = new double[v.length];
                for (int i = 0; i < v.length; i++) z[i] = Double.longBitsToDouble(v[i]);
                yield z;
            }
            case float[] f -> f.clone();
            case double[] d -> d.clone();
            case int[] v -> v.clone();
            case long[] v -> v.clone();
            case byte[] v -> v.clone();
            case short[] v -> v.clone();
            default -> throw new IllegalStateException("unsupported storage " + data.getClass());
        };
    }

    private static void binary(KernelRegistry r, OpDef op, BinaryLoops.Fn fn, List<DType> dtypes) {
        r.register(op, CpuDevice.TYPE, dtypes, ctx -> new Tensor[] {
            BinaryLoops.apply(ctx, fn, ctx.input(0), ctx.input(1), ctx.outputSpec(0))});
    }

    private static void unary(KernelRegistry r, OpDef op, UnaryLoops.Fn fn, List<DType> dtypes) {
        r.register(op, CpuDevice.TYPE, dtypes, ctx -> new Tensor[] {
            UnaryLoops.apply(ctx, fn, ctx.input(0), ctx.outputSpec(0))});
    }

    // ---------------------------------------------------------------- Select

    /** condition ? x : y with all three broadcast to {@code out}; rows run over the last axis. */
    private static Tensor select(Tensor cond, Tensor x, Tensor y, TensorSpec out) {
        Shape shape = out.shape();
        int n = shape.intSize();
        Object z = Strided.allocate(out.dtype().storage(), n);
        if (n == 0) return Tensor.wrap(out.dtype(), shape, z);
        int rank = shape.rank();
        int[] dims = shape.dims();
        int[] sc = Broadcasting.broadcastStrides(cond.shape(), rank, dims);
        int[] sx = Broadcasting.broadcastStrides(x.shape(), rank, dims);
        int[] sy = Broadcasting.broadcastStrides(y.shape(), rank, dims);
        int len = rank == 0 ? 1 : dims[rank - 1];
        int last = rank - 1;
        int cs = rank == 0 ? 0 : sc[last];
        int xs = rank == 0 ? 0 : sx[last];
        int ys = rank == 0 ? 0 : sy[last];
        byte[] c = (byte[]) cond.data();
        Parallel.forRange(n / len, Math.max(1, Broadcasting.GRAIN / len), (from, to) -> {
            for (int row = from; row < to; row++) {
                int pc = 0;
                int px = 0;
                int py = 0;
                for (int k = last - 1, rem = row; k >= 0; k--) {
                    int idx = rem % dims[k];
                    rem /= dims[k];
                    pc += idx * sc[k];
                    px += idx * sx[k];
                    py += idx * sy[k];
                }
                selectRow(c, pc, cs, x.data(), px, xs, y.data(), py, ys, z, row * len, len);
            }
        });
        return Tensor.wrap(out.dtype(), shape, z);
    }

    private static void selectRow(byte[] c, int pc, int cs, Object x, int px, int xs, Object y, int py, int ys,
            Object z, int pz, int len) {
        switch (z) {
            case float[] o -> {
                float[] a = (float[]) x, b = (float[]) y;
                for (int i = 0; i < len; i++) o[pz + i] = c[pc + i * cs] != 0 ? a[px + i * xs] : b[py + i * ys];
            }
            case double[] o -> {
                double[] a = (double[]) x, b = (double[]) y;
                for (int i = 0; i < len; i++) o[pz + i] = c[pc + i * cs] != 0 ? a[px + i * xs] : b[py + i * ys];
            }
            case int[] o -> {
                int[] a = (int[]) x, b = (int[]) y;
                for (int i = 0; i < len; i++) o[pz + i] = c[pc + i * cs] != 0 ? a[px + i * xs] : b[py + i * ys];
            }
            case long[] o -> {
                long[] a = (long[]) x, b = (long[]) y;
                for (int i = 0; i < len; i++) o[pz + i] = c[pc + i * cs] != 0 ? a[px + i * xs] : b[py + i * ys];
            }
            case byte[] o -> {
                byte[] a = (byte[]) x, b = (byte[]) y;
                for (int i = 0; i < len; i++) o[pz + i] = c[pc + i * cs] != 0 ? a[px + i * xs] : b[py + i * ys];
            }
            case short[] o -> {
                short[] a = (short[]) x, b = (short[]) y;
                for (int i = 0; i < len; i++) o[pz + i] = c[pc + i * cs] != 0 ? a[px + i * xs] : b[py + i * ys];
            }
            case byte[][] o -> {
                byte[][] a = (byte[][]) x, b = (byte[][]) y;
                for (int i = 0; i < len; i++) o[pz + i] = c[pc + i * cs] != 0 ? a[px + i * xs] : b[py + i * ys];
            }
            default -> throw new IllegalStateException("unsupported storage " + z.getClass());
        }
    }

    // ---------------------------------------------------------------- Cast

    /**
     * The elements of dense {@code x} converted to {@code to}, in parallel chunks for large tensors. Java's casts give
     * the documented semantics: float to int32/int64 truncates toward zero, maps NaN to 0 and saturates out of range;
     * to uint8 goes through int64 and keeps the low 8 bits; to bool is {@code x != 0}; uint8 and bool sources read
     * as unsigned bytes.
     */
    static Object cast(Tensor x, DType to) {
        int n = x.shape().intSize();
        Object src = x.data();
        DType from = x.dtype();
        if (from.isComplex() || to.isComplex()) return castComplex(x, to);
        Object dst = Strided.allocate(to.storage(), n);
        boolean toBool = to == DType.BOOL;
        if (from == to && from.isLowPrecision()) return Strided.convert(src, n, from, to.storage());
        if (from.isLowPrecision()) {
            // exact widening first (low-precision floats to float32, the small integers to int64)
            DType wide = from.isLowPrecisionFloat() ? DType.FLOAT32 : DType.INT64;
            Object widened = Strided.convert(src, n, from, wide.storage());
            return to == wide ? widened : cast(Tensor.wrap(wide, x.shape(), widened), to);
        }
        if (to.isLowPrecision()) {
            Parallel.forRange(n, Broadcasting.GRAIN, (lo, end) -> narrowToLowPrecision(src, from, (byte[]) dst, to,
                    lo, end));
            return dst;
        }
        if (from.isHalfPrecision() && to != DType.FLOAT32 && !to.isHalfPrecision()) {
            // exact widening first, so 16-bit floats convert to every other dtype exactly as float32 does
            return cast(Tensor.wrap(DType.FLOAT32, x.shape(), cast(x, DType.FLOAT32)), to);
        }
        if (from == DType.FLOAT32 && to.isHalfPrecision()) {
            Parallel.forRange(n, Broadcasting.GRAIN, (lo, end) -> HalfFloats.narrow(to, (float[]) src, (short[]) dst,
                    lo, end));
        } else if (from.isHalfPrecision() && to == DType.FLOAT32) {
            Parallel.forRange(n, Broadcasting.GRAIN, (lo, end) -> HalfFloats.widen(from, (short[]) src, (float[]) dst,
                    lo, end));
        } else if (DIRECT.contains(from) && DIRECT.contains(to)) {
            Parallel.forRange(n, Broadcasting.GRAIN, (lo, end) -> castRange(src, dst, toBool, lo, end));
        } else {
            Parallel.forRange(n, Broadcasting.GRAIN, (lo, end) -> castWidened(src, from, dst, to, lo, end));
        }
        return dst;
    }

    /**
     * tf.cast with complex on one side: complex to real takes the real part, real to complex sets the imaginary
     * part 0, each going through the real cast of the parts' dtype (so a float16 target rounds as float16 does).
     */
    private static Object castComplex(Tensor x, DType to) {
        int n = x.shape().intSize();
        DType from = x.dtype();
        if (from.isComplex() && to.isComplex()) return Strided.convert(x.data(), n, from, to.storage());
        if (from.isComplex()) {
            Tensor re = Tensor.wrap(from.realPart(), x.shape(), ComplexParts.part(x.data(), n, false));
            return to == re.dtype() ? re.data() : cast(re, to);
        }
        DType part = to.realPart();
        Object re = from == part ? x.data() : cast(x, part);
        return ComplexParts.join(to, re, null, part, n);
    }

    /**
     * Any dtype to a low-precision one: floats (and unsigned 64-bit values) by value, rounding to nearest even for
     * float8/float4 and truncating then keeping the low bits for int4/uint4/int2/uint2; integers and bools exactly
     * to the floats and by their low bits to the small integers (ONNX's Cast: -9 to int4 is 7).
     */
    private static void narrowToLowPrecision(Object src, DType from, byte[] dst, DType to, int lo, int end) {
        boolean byValue = from.isFloating() || to.isLowPrecisionFloat();
        for (int i = lo; i < end; i++) {
            dst[i] = byValue ? LowPrecision.fromDouble(to, Strided.read(src, i, from))
                    : LowPrecision.fromLong(to, Strided.readLong(src, i, from));
        }
    }

    /** The dtypes {@link #castRange} has a direct loop for, each pair chosen by storage alone. */
    private static final Set<DType> DIRECT = EnumSet.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64,
            DType.UINT8, DType.BOOL);

    /**
     * Casts involving the other integer dtypes, through a float64 or int64 chunk: NumPy's semantics, so integers
     * wrap to the target's width, floats truncate toward zero (to uint64 up to 2^64), uint64 converts to float as
     * unsigned, and anything is true when non-zero.
     */
    private static void castWidened(Object src, DType from, Object dst, DType to, int lo, int end) {
        int n = end - lo;
        if (from.isFloating()) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = Strided.read(src, lo + i, from);
            switch (dst) {
                case float[] d -> { for (int i = 0; i < n; i++) d[lo + i] = (float) v[i]; }
                case double[] d -> System.arraycopy(v, 0, d, lo, n);
                case byte[] d when to == DType.BOOL -> {
                    for (int i = 0; i < n; i++) d[lo + i] = (byte) (v[i] != 0 ? 1 : 0);
                }
                case short[] d when to.isHalfPrecision() -> {
                    for (int i = 0; i < n; i++) d[lo + i] = HalfFloats.fromDouble(to, v[i]);
                }
                case long[] d when to == DType.UINT64 -> {
                    for (int i = 0; i < n; i++) d[lo + i] = Strided.doubleToUnsigned(v[i]);
                }
                default -> {
                    long[] w = new long[n];
                    for (int i = 0; i < n; i++) w[i] = (long) v[i];
                    storeLongs(w, dst, lo);
                }
            }
            return;
        }
        long[] w = new long[n];
        for (int i = 0; i < n; i++) w[i] = Strided.readLong(src, lo + i, from);
        boolean u64 = from == DType.UINT64;
        switch (dst) {
            case float[] d -> { for (int i = 0; i < n; i++) d[lo + i] = u64 ? Strided.unsignedToFloat(w[i]) : w[i]; }
            case double[] d -> { for (int i = 0; i < n; i++) d[lo + i] = u64 ? Strided.unsignedToDouble(w[i]) : w[i]; }
            case byte[] d when to == DType.BOOL -> {
                for (int i = 0; i < n; i++) d[lo + i] = (byte) (w[i] != 0 ? 1 : 0);
            }
            case short[] d when to.isHalfPrecision() -> {
                for (int i = 0; i < n; i++) {
                    d[lo + i] = HalfFloats.fromDouble(to, u64 ? Strided.unsignedToDouble(w[i]) : w[i]);
                }
            }
            default -> storeLongs(w, dst, lo);
        }
    }

    /** {@code dst[at + i] = v[i]} keeping the low bits that fit the integer storage, as a C cast does. */
    private static void storeLongs(long[] v, Object dst, int at) {
        switch (dst) {
            case int[] d -> { for (int i = 0; i < v.length; i++) d[at + i] = (int) v[i]; }
            case long[] d -> System.arraycopy(v, 0, d, at, v.length);
            case byte[] d -> { for (int i = 0; i < v.length; i++) d[at + i] = (byte) v[i]; }
            case short[] d -> { for (int i = 0; i < v.length; i++) d[at + i] = (short) v[i]; }
            default -> throw unsupported(dst);
        }
    }

    private static void castRange(Object src, Object dst, boolean toBool, int from, int end) {
        switch (dst) {
            case float[] d -> {
                switch (src) {
                    case double[] s -> { for (int i = from; i < end; i++) d[i] = (float) s[i]; }
                    case int[] s -> { for (int i = from; i < end; i++) d[i] = s[i]; }
                    case long[] s -> { for (int i = from; i < end; i++) d[i] = s[i]; }
                    case byte[] s -> { for (int i = from; i < end; i++) d[i] = s[i] & 0xff; }
                    default -> throw unsupported(src);
                }
            }
            case double[] d -> {
                switch (src) {
                    case float[] s -> { for (int i = from; i < end; i++) d[i] = s[i]; }
                    case int[] s -> { for (int i = from; i < end; i++) d[i] = s[i]; }
                    case long[] s -> { for (int i = from; i < end; i++) d[i] = s[i]; }
                    case byte[] s -> { for (int i = from; i < end; i++) d[i] = s[i] & 0xff; }
                    default -> throw unsupported(src);
                }
            }
            case int[] d -> {
                switch (src) {
                    case float[] s -> { for (int i = from; i < end; i++) d[i] = (int) s[i]; }
                    case double[] s -> { for (int i = from; i < end; i++) d[i] = (int) s[i]; }
                    case long[] s -> { for (int i = from; i < end; i++) d[i] = (int) s[i]; }
                    case byte[] s -> { for (int i = from; i < end; i++) d[i] = s[i] & 0xff; }
                    default -> throw unsupported(src);
                }
            }
            case long[] d -> {
                switch (src) {
                    case float[] s -> { for (int i = from; i < end; i++) d[i] = (long) s[i]; }
                    case double[] s -> { for (int i = from; i < end; i++) d[i] = (long) s[i]; }
                    case int[] s -> { for (int i = from; i < end; i++) d[i] = s[i]; }
                    case byte[] s -> { for (int i = from; i < end; i++) d[i] = s[i] & 0xff; }
                    default -> throw unsupported(src);
                }
            }
            case byte[] d when toBool -> {
                switch (src) {
                    case float[] s -> { for (int i = from; i < end; i++) d[i] = (byte) (s[i] != 0 ? 1 : 0); }
                    case double[] s -> { for (int i = from; i < end; i++) d[i] = (byte) (s[i] != 0 ? 1 : 0); }
                    case int[] s -> { for (int i = from; i < end; i++) d[i] = (byte) (s[i] != 0 ? 1 : 0); }
                    case long[] s -> { for (int i = from; i < end; i++) d[i] = (byte) (s[i] != 0 ? 1 : 0); }
                    case byte[] s -> { for (int i = from; i < end; i++) d[i] = (byte) (s[i] != 0 ? 1 : 0); }
                    default -> throw unsupported(src);
                }
            }
            case byte[] d -> { // uint8
                switch (src) {
                    case float[] s -> { for (int i = from; i < end; i++) d[i] = (byte) (long) s[i]; }
                    case double[] s -> { for (int i = from; i < end; i++) d[i] = (byte) (long) s[i]; }
                    case int[] s -> { for (int i = from; i < end; i++) d[i] = (byte) s[i]; }
                    case long[] s -> { for (int i = from; i < end; i++) d[i] = (byte) s[i]; }
                    case byte[] s -> System.arraycopy(s, from, d, from, end - from); // bool 0/1 are valid uint8
                    default -> throw unsupported(src);
                }
            }
            default -> throw unsupported(dst);
        }
    }

    private static IllegalStateException unsupported(Object storage) {
        return new IllegalStateException("unsupported storage " + storage.getClass());
    }
}
