package org.nabla.kernels.cpu;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.FftOps;
import org.nabla.ops.OpDef;
import org.nabla.storage.ComplexParts;

/**
 * CPU kernels for {@link FftOps}. Every transform works on the values as interleaved doubles (float32 parts widened
 * exactly, rounded once at the end), one axis at a time: a 2-D transform is a 1-D transform of each row, then of each
 * column. Batches of rows run in parallel; each uses one {@link Fft} plan per length.
 */
public final class CpuFftKernels {
    private CpuFftKernels() {}

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        for (DType c : new DType[] {DType.COMPLEX64, DType.COMPLEX128}) {
            complex(r, FftOps.FFT, c, 1, false);
            complex(r, FftOps.IFFT, c, 1, true);
            complex(r, FftOps.FFT2D, c, 2, false);
            complex(r, FftOps.IFFT2D, c, 2, true);
            r.register(FftOps.IRFFT, CpuDevice.TYPE, c, ctx -> new Tensor[] {inverseReal(ctx, 1)});
            r.register(FftOps.IRFFT2D, CpuDevice.TYPE, c, ctx -> new Tensor[] {inverseReal(ctx, 2)});
        }
        for (DType f : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            r.register(FftOps.RFFT, CpuDevice.TYPE, f, ctx -> new Tensor[] {forwardReal(ctx, 1)});
            r.register(FftOps.RFFT2D, CpuDevice.TYPE, f, ctx -> new Tensor[] {forwardReal(ctx, 2)});
        }
    }

    private static void complex(KernelRegistry r, OpDef op, DType c, int axes, boolean inverse) {
        r.register(op, CpuDevice.TYPE, c, ctx -> {
            Tensor x = ctx.input(0).dense();
            int[] dims = x.shape().dims();
            double[] z = ComplexParts.toDoubles(x.data(), x.shape().intSize());
            for (int a = 0; a < axes; a++) transform(z, dims, dims.length - 1 - a, inverse);
            if (inverse) scale(z, innerCount(dims, axes));
            return new Tensor[] {Tensor.wrap(c, x.shape(), ComplexParts.fromDoubles(c, z))};
        });
    }

    /** RFFT / RFFT2D: crop or pad to fftLength, transform, keep the n / 2 + 1 non-negative frequencies. */
    private static Tensor forwardReal(KernelContext ctx, int axes) {
        Tensor x = ctx.input(0).dense();
        DType out = x.dtype().complexOf();
        int[] n = FftOps.fftLength(ctx.op().name(), x.shape(), ctx.attrs().getInts("fftLength"), axes, false);
        int[] dims = x.shape().dims();
        double[] z = ComplexParts.toDoubles(ComplexParts.join(out, x.data(), null, x.dtype(), x.shape().intSize()),
                x.shape().intSize());
        for (int a = 0; a < axes; a++) {
            int axis = dims.length - axes + a;
            z = resize(z, dims, axis, n[a]);
            dims[axis] = n[a];
        }
        int last = dims.length - 1;
        transform(z, dims, last, false);
        z = resize(z, dims, last, n[axes - 1] / 2 + 1);
        dims[last] = n[axes - 1] / 2 + 1;
        if (axes == 2) transform(z, dims, last - 1, false);
        return Tensor.wrap(out, Shape.of(dims), ComplexParts.fromDoubles(out, z));
    }

    /**
     * IRFFT / IRFFT2D: n / 2 + 1 bins (cropped or padded) read as the non-negative half of a Hermitian spectrum, the
     * other axis (2-D) inverted as a full complex transform first; the real parts of the inverse, divided by the size.
     */
    private static Tensor inverseReal(KernelContext ctx, int axes) {
        Tensor x = ctx.input(0).dense();
        DType out = x.dtype().realPart();
        int[] n = FftOps.fftLength(ctx.op().name(), x.shape(), ctx.attrs().getInts("fftLength"), axes, true);
        int[] dims = x.shape().dims();
        int last = dims.length - 1;
        double[] parts = ComplexParts.toDoubles(x.data(), x.shape().intSize());
        int len = n[axes - 1];
        parts = resize(parts, dims, last, len / 2 + 1);
        dims[last] = len / 2 + 1;
        if (axes == 2) {
            parts = resize(parts, dims, last - 1, n[0]);
            dims[last - 1] = n[0];
            transform(parts, dims, last - 1, true);
        }
        double[] z = parts;
        int rows = dims[last] == 0 ? 0 : z.length / 2 / dims[last];
        double[] y = new double[rows * len];
        int bins = dims[last];
        Fft plan = len > 0 ? new Fft(len) : null;
        if (len > 0) Parallel.forRange(rows, Math.max(1, 4096 / Math.max(1, len)), (from, to) -> {
            double[] re = new double[len], im = new double[len];
            for (int row = from; row < to; row++) {
                int base = 2 * row * bins;
                Arrays.fill(re, 0);
                Arrays.fill(im, 0);
                for (int k = 0; k <= len / 2; k++) {
                    re[k] = z[base + 2 * k];
                    im[k] = z[base + 2 * k + 1];
                }
                im[0] = 0;                       // the DC and Nyquist bins of a real signal are real
                if (len % 2 == 0) im[len / 2] = 0;
                for (int k = len / 2 + 1; k < len; k++) {
                    re[k] = re[len - k];
                    im[k] = -im[len - k];
                }
                plan.transform(re, im, true);
                for (int j = 0; j < len; j++) y[row * len + j] = re[j];
            }
        });
        dims[last] = len;
        double total = len * (axes == 2 ? (double) n[0] : 1.0);
        for (int i = 0; i < y.length; i++) y[i] /= total;
        Object data = out == DType.FLOAT64 ? y : toFloats(y);
        return Tensor.wrap(out, Shape.of(dims), data);
    }

    /** In place: the DFT (inverse unscaled) of every line of interleaved {@code z} along {@code axis}. */
    static void transform(double[] z, int[] dims, int axis, boolean inverse) {
        int len = dims[axis];
        if (len <= 1) return;
        int inner = 1;
        for (int i = axis + 1; i < dims.length; i++) inner *= dims[i];
        int lines = z.length / 2 / len;
        int stride = inner;
        Fft plan = new Fft(len);
        int innerF = inner;
        Parallel.forRange(lines, Math.max(1, 4096 / len), (from, to) -> {
            double[] re = new double[len], im = new double[len];
            for (int line = from; line < to; line++) {
                int start = (line / innerF) * len * innerF + line % innerF;
                for (int k = 0; k < len; k++) {
                    re[k] = z[2 * (start + k * stride)];
                    im[k] = z[2 * (start + k * stride) + 1];
                }
                plan.transform(re, im, inverse);
                for (int k = 0; k < len; k++) {
                    z[2 * (start + k * stride)] = re[k];
                    z[2 * (start + k * stride) + 1] = im[k];
                }
            }
        });
    }

    /** Interleaved {@code z} with {@code axis} cropped or zero-padded (at the end) to {@code size}. */
    static double[] resize(double[] z, int[] dims, int axis, int size) {
        int len = dims[axis];
        if (len == size) return z;
        int inner = 1;
        for (int i = axis + 1; i < dims.length; i++) inner *= dims[i];
        int outer = len == 0 ? 1 : z.length / 2 / (len * inner);
        if (len == 0) for (int i = 0; i < axis; i++) outer *= dims[i];
        double[] out = new double[2 * outer * size * inner];
        int keep = Math.min(len, size) * inner;
        for (int o = 0; o < outer; o++) {
            System.arraycopy(z, 2 * o * len * inner, out, 2 * o * size * inner, 2 * keep);
        }
        return out;
    }

    private static int innerCount(int[] dims, int axes) {
        int c = 1;
        for (int i = dims.length - axes; i < dims.length; i++) c *= dims[i];
        return c;
    }

    private static void scale(double[] z, int count) {
        if (count <= 1) return;
        double s = 1.0 / count;
        for (int i = 0; i < z.length; i++) z[i] *= s;
    }

    private static float[] toFloats(double[] y) {
        float[] f = new float[y.length];
        for (int i = 0; i < y.length; i++) f[i] = (float) y[i];
        return f;
    }
}
