package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.ComplexOps;
import org.nabla.ops.LinalgOps;
import org.nabla.ops.MathOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.ReductionOps;
import org.nabla.ops.TensorSpec;
import org.nabla.storage.ComplexParts;

/**
 * CPU kernels for complex64 and complex128: {@link ComplexOps}, and the math, matmul and reduction ops TensorFlow has
 * complex kernels for. Values are read as interleaved doubles (float32 parts widen exactly) and each result is
 * rounded once to the output dtype, so complex64 matches NumPy's complex64 to within an ulp or two of each part.
 * Written for clarity rather than speed (no vectorization).
 */
public final class CpuComplexKernels {
    private CpuComplexKernels() {}

    private static final DType[] COMPLEX = {DType.COMPLEX64, DType.COMPLEX128};

    /** The kernels of {@link ComplexOps}. */
    public static void register(KernelRegistry r) {
        for (DType f : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            r.register(ComplexOps.COMPLEX, CpuDevice.TYPE, f, ctx -> {
                TensorSpec out = ctx.outputSpec(0);
                Tensor re = broadcastReal(ctx.input(0), out.shape()), im = broadcastReal(ctx.input(1), out.shape());
                return new Tensor[] {Tensor.wrap(out.dtype(), out.shape(), ComplexParts.join(out.dtype(), re.data(),
                        im.data(), f, out.shape().intSize()))};
            });
        }
        for (DType c : COMPLEX) {
            toReal(r, ComplexOps.REAL, c, 0);
            toReal(r, ComplexOps.IMAG, c, 1);
            toReal(r, ComplexOps.COMPLEX_ABS, c, 2);
            toReal(r, ComplexOps.ANGLE, c, 3);
            unary(r, ComplexOps.CONJ, c, (re, im, z, o) -> { z[o] = re; z[o + 1] = -im; });
        }
    }

    /** Complex kernels of math ops (Add, Mul, Exp, Equal...), registered with the math family. */
    public static void registerMath(KernelRegistry r) {
        for (DType c : COMPLEX) {
            binary(r, MathOps.ADD, c, (ar, ai, br, bi, z, o) -> { z[o] = ar + br; z[o + 1] = ai + bi; });
            binary(r, MathOps.SUB, c, (ar, ai, br, bi, z, o) -> { z[o] = ar - br; z[o + 1] = ai - bi; });
            binary(r, MathOps.MUL, c, (ar, ai, br, bi, z, o) -> {
                z[o] = ar * br - ai * bi;
                z[o + 1] = ar * bi + ai * br;
            });
            binary(r, MathOps.DIV, c, CpuComplexKernels::divide);
            unary(r, MathOps.NEG, c, (re, im, z, o) -> { z[o] = -re; z[o + 1] = -im; });
            unary(r, MathOps.SQUARE, c, (re, im, z, o) -> { z[o] = re * re - im * im; z[o + 1] = 2 * re * im; });
            unary(r, MathOps.EXP, c, (re, im, z, o) -> {
                double e = Math.exp(re);
                z[o] = im == 0 ? e : e * Math.cos(im);   // exp(x + 0j) stays real even for infinite e
                z[o + 1] = im == 0 ? im : e * Math.sin(im);
            });
            unary(r, MathOps.LOG, c, (re, im, z, o) -> { z[o] = Math.log(Math.hypot(re, im)); z[o + 1] = Math.atan2(im, re); });
            unary(r, MathOps.SQRT, c, CpuComplexKernels::sqrt);
            comparison(r, MathOps.EQUAL, c, true);
            comparison(r, MathOps.NOT_EQUAL, c, false);
        }
    }

    /** Complex MatMul (batched, with the transpose flags), registered with the linalg family. */
    public static void registerLinalg(KernelRegistry r) {
        for (DType c : COMPLEX) r.register(LinalgOps.MATMUL, CpuDevice.TYPE, c, CpuComplexKernels::matmul);
    }

    /** Complex Sum, Mean and Prod, registered with the reduction family. */
    public static void registerReductions(KernelRegistry r) {
        for (DType c : COMPLEX) {
            r.register(ReductionOps.SUM, CpuDevice.TYPE, c, ctx -> new Tensor[] {reduce(ctx, false, false)});
            r.register(ReductionOps.MEAN, CpuDevice.TYPE, c, ctx -> new Tensor[] {reduce(ctx, false, true)});
            r.register(ReductionOps.PROD, CpuDevice.TYPE, c, ctx -> new Tensor[] {reduce(ctx, true, false)});
        }
    }

    // ---------------------------------------------------------------- elementwise

    /** A complex function of one complex value writing (re, im) at {@code z[o]}, {@code z[o + 1]}. */
    @FunctionalInterface
    private interface Unary { void apply(double re, double im, double[] z, int o); }

    /** A complex function of two complex values writing (re, im) at {@code z[o]}, {@code z[o + 1]}. */
    @FunctionalInterface
    private interface Binary { void apply(double ar, double ai, double br, double bi, double[] z, int o); }

    private static void unary(KernelRegistry r, OpDef op, DType c, Unary f) {
        r.register(op, CpuDevice.TYPE, c, ctx -> {
            Tensor x = ctx.input(0).dense();
            int n = x.shape().intSize();
            double[] a = ComplexParts.toDoubles(x.data(), n);
            double[] z = new double[2 * n];
            for (int i = 0; i < n; i++) f.apply(a[2 * i], a[2 * i + 1], z, 2 * i);
            return new Tensor[] {Tensor.wrap(c, x.shape(), ComplexParts.fromDoubles(c, z))};
        });
    }

    /** Real, Imag, ComplexAbs, Angle by {@code which} 0..3, to the parts' dtype. */
    private static void toReal(KernelRegistry r, OpDef op, DType c, int which) {
        r.register(op, CpuDevice.TYPE, c, ctx -> {
            Tensor x = ctx.input(0).dense();
            int n = x.shape().intSize();
            double[] a = ComplexParts.toDoubles(x.data(), n);
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double re = a[2 * i], im = a[2 * i + 1];
                y[i] = switch (which) {
                    case 0 -> re;
                    case 1 -> im;
                    case 2 -> Math.hypot(re, im);
                    default -> Math.atan2(im, re);
                };
            }
            DType part = c.realPart();
            return new Tensor[] {Tensor.wrap(part, x.shape(), part == DType.FLOAT64 ? y : floats(y))};
        });
    }

    private static void binary(KernelRegistry r, OpDef op, DType c, Binary f) {
        r.register(op, CpuDevice.TYPE, c, ctx -> {
            Shape shape = ctx.outputSpec(0).shape();
            int n = shape.intSize();
            double[] a = broadcastParts(ctx.input(0), shape), b = broadcastParts(ctx.input(1), shape);
            double[] z = new double[2 * n];
            for (int i = 0; i < n; i++) f.apply(a[2 * i], a[2 * i + 1], b[2 * i], b[2 * i + 1], z, 2 * i);
            return new Tensor[] {Tensor.wrap(c, shape, ComplexParts.fromDoubles(c, z))};
        });
    }

    private static void comparison(KernelRegistry r, OpDef op, DType c, boolean equal) {
        r.register(op, CpuDevice.TYPE, c, ctx -> {
            Shape shape = ctx.outputSpec(0).shape();
            int n = shape.intSize();
            double[] a = broadcastParts(ctx.input(0), shape), b = broadcastParts(ctx.input(1), shape);
            byte[] z = new byte[n];
            for (int i = 0; i < n; i++) {
                boolean same = a[2 * i] == b[2 * i] && a[2 * i + 1] == b[2 * i + 1];   // NaN parts are unequal
                z[i] = (byte) (same == equal ? 1 : 0);
            }
            return new Tensor[] {Tensor.wrap(DType.BOOL, shape, z)};
        });
    }

    /** Complex division scaled by the larger part of the divisor (Smith's method), so no square overflows. */
    private static void divide(double ar, double ai, double br, double bi, double[] z, int o) {
        if (Math.abs(br) >= Math.abs(bi)) {
            if (br == 0 && bi == 0) {   // x / 0: IEEE division of each part, as NumPy gives (inf or nan)
                z[o] = ar / br;
                z[o + 1] = ai / br;
                return;
            }
            double ratio = bi / br, d = br + bi * ratio;
            z[o] = (ar + ai * ratio) / d;
            z[o + 1] = (ai - ar * ratio) / d;
        } else {
            double ratio = br / bi, d = br * ratio + bi;
            z[o] = (ar * ratio + ai) / d;
            z[o + 1] = (ai * ratio - ar) / d;
        }
    }

    /** The principal square root (branch cut along the negative reals; the sign of the imaginary part kept). */
    private static void sqrt(double re, double im, double[] z, int o) {
        if (re == 0 && im == 0) {
            z[o] = 0;
            z[o + 1] = im;
            return;
        }
        double t = Math.sqrt((Math.abs(re) + Math.hypot(re, im)) / 2);
        if (re >= 0) {
            z[o] = t;
            z[o + 1] = im / (2 * t);
        } else {
            z[o] = Math.abs(im) / (2 * t);
            z[o + 1] = Math.copySign(t, im);
        }
    }

    /** The interleaved double parts of complex {@code x} broadcast (NumPy rules) to {@code shape}. */
    private static double[] broadcastParts(Tensor x, Shape shape) {
        Tensor d = x.dense();
        double[] a = ComplexParts.toDoubles(d.data(), d.shape().intSize());
        if (d.shape().equals(shape)) return a;
        int n = shape.intSize(), rank = shape.rank();
        int[] dims = shape.dims();
        int[] strides = Broadcasting.broadcastStrides(d.shape(), rank, dims);
        double[] z = new double[2 * n];
        int[] index = new int[rank];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            z[2 * i] = a[2 * pos];
            z[2 * i + 1] = a[2 * pos + 1];
            for (int axis = rank - 1; axis >= 0; axis--) {
                pos += strides[axis];
                if (++index[axis] < dims[axis]) break;
                pos -= strides[axis] * dims[axis];
                index[axis] = 0;
            }
        }
        return z;
    }

    /** A real input of Complex broadcast to {@code shape}, dense. */
    private static Tensor broadcastReal(Tensor x, Shape shape) {
        if (x.shape().equals(shape)) return x.dense();
        int[] strides = Broadcasting.broadcastStrides(x.shape(), shape.rank(), shape.dims());
        return Tensor.view(x.dense(), shape, 0, strides).dense();
    }

    // ---------------------------------------------------------------- matmul

    private static Tensor[] matmul(KernelContext ctx) {
        Tensor a = ctx.input(0), b = ctx.input(1);
        boolean ta = ctx.attrs().getBool("transposeA"), tb = ctx.attrs().getBool("transposeB");
        TensorSpec out = ctx.outputSpec(0);
        int[] od = out.shape().dims();
        int rank = od.length;
        int m = od[rank - 2], n = od[rank - 1];
        int k = a.shape().dim(ta ? -2 : -1);
        Shape batch = Shape.of(java.util.Arrays.copyOf(od, rank - 2));
        int batches = batch.intSize();
        double[] pa = batchedParts(a, batch), pb = batchedParts(b, batch);
        int ar = a.shape().dim(-2), ac = a.shape().dim(-1), br = b.shape().dim(-2), bc = b.shape().dim(-1);
        double[] z = new double[2 * batches * m * n];
        for (int t = 0; t < batches; t++) {
            int oa = t * ar * ac, ob = t * br * bc, oz = t * m * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sr = 0, si = 0;
                    for (int p = 0; p < k; p++) {
                        int ia = oa + (ta ? p * ac + i : i * ac + p);
                        int ib = ob + (tb ? j * bc + p : p * bc + j);
                        double xr = pa[2 * ia], xi = pa[2 * ia + 1], yr = pb[2 * ib], yi = pb[2 * ib + 1];
                        sr += xr * yr - xi * yi;
                        si += xr * yi + xi * yr;
                    }
                    z[2 * (oz + i * n + j)] = sr;
                    z[2 * (oz + i * n + j) + 1] = si;
                }
            }
        }
        return new Tensor[] {Tensor.wrap(out.dtype(), out.shape(), ComplexParts.fromDoubles(out.dtype(), z))};
    }

    /** The parts of {@code x}'s matrices with its batch axes broadcast to {@code batch}. */
    private static double[] batchedParts(Tensor x, Shape batch) {
        int[] xd = x.shape().dims();
        int[] full = java.util.Arrays.copyOf(batch.dims(), batch.rank() + 2);
        full[batch.rank()] = xd[xd.length - 2];
        full[batch.rank() + 1] = xd[xd.length - 1];
        return broadcastParts(x, Shape.of(full));
    }

    // ---------------------------------------------------------------- reductions

    /** Sum (or product, or mean) over the op's axes; accumulates in double. */
    private static Tensor reduce(KernelContext ctx, boolean product, boolean mean) {
        Tensor x = ctx.input(0).dense();
        TensorSpec out = ctx.outputSpec(0);
        int[] dims = x.shape().dims();
        int rank = dims.length;
        boolean[] reduced = new boolean[rank];
        int[] axes = ctx.attrs().getInts("axes");
        if (axes.length == 0) java.util.Arrays.fill(reduced, true);
        for (int ax : axes) reduced[ax < 0 ? ax + rank : ax] = true;
        int[] outStrides = new int[rank];
        for (int i = rank - 1, s = 1; i >= 0; i--) {
            outStrides[i] = reduced[i] ? 0 : s;
            if (!reduced[i]) s *= dims[i];
        }
        int n = x.shape().intSize(), m = out.shape().intSize();
        double[] a = ComplexParts.toDoubles(x.data(), n);
        double[] z = new double[2 * m];
        if (product) for (int i = 0; i < m; i++) z[2 * i] = 1;
        int[] index = new int[rank];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            double xr = a[2 * i], xi = a[2 * i + 1];
            if (product) {
                double zr = z[2 * pos], zi = z[2 * pos + 1];
                z[2 * pos] = zr * xr - zi * xi;
                z[2 * pos + 1] = zr * xi + zi * xr;
            } else {
                z[2 * pos] += xr;
                z[2 * pos + 1] += xi;
            }
            for (int axis = rank - 1; axis >= 0; axis--) {
                pos += outStrides[axis];
                if (++index[axis] < dims[axis]) break;
                pos -= outStrides[axis] * dims[axis];
                index[axis] = 0;
            }
        }
        if (mean && m > 0) {
            double count = (double) n / m;
            for (int i = 0; i < z.length; i++) z[i] /= count;
        }
        return Tensor.wrap(out.dtype(), out.shape(), ComplexParts.fromDoubles(out.dtype(), z));
    }

    private static float[] floats(double[] y) {
        float[] f = new float[y.length];
        for (int i = 0; i < y.length; i++) f[i] = (float) y[i];
        return f;
    }
}
