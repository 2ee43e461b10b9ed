package org.nabla.autodiff;

import static org.nabla.autodiff.GradSupport.unbroadcast;

import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.ops.ComplexOps;
import org.nabla.ops.FftOps;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.OpCall;

/**
 * Gradients of {@link ComplexOps} and {@link FftOps}, in TensorFlow's convention: the gradient of a real loss L with
 * respect to z = x + iy is dL/dx + i dL/dy (twice the conjugate Wirtinger derivative dL/dz*, which is what PyTorch
 * documents its complex gradients to be, so the two libraries agree). A linear map y = A z then sends the incoming
 * gradient g back as A^H g: the DFT's adjoint is n times the inverse DFT.
 */
public final class ComplexGradients {
    private ComplexGradients() {}

    /** Registers these gradients. */
    public static void register(GradientRegistry r) {
        r.register(ComplexOps.COMPLEX, (c, g) -> new Tensor[] {unbroadcast(Ops.real(g[0]), c.input(0)),
                unbroadcast(Ops.imag(g[0]), c.input(1))});
        r.register(ComplexOps.REAL, (c, g) -> one(Ops.complex(g[0], Ops.zerosLike(g[0]))));
        r.register(ComplexOps.IMAG, (c, g) -> one(Ops.complex(Ops.zerosLike(g[0]), g[0])));
        r.register(ComplexOps.CONJ, (c, g) -> one(Ops.conj(g[0])));
        r.register(ComplexOps.COMPLEX_ABS, (c, g) -> {
            // g z / |z|, and 0 at z = 0 (TensorFlow's div_no_nan)
            Tensor z = c.input(0), abs = c.output(0);
            Tensor zero = Ops.equal(abs, Ops.zerosLike(abs));
            Tensor safe = Ops.where(zero, Ops.onesLike(abs), abs);
            Tensor scale = Ops.where(zero, Ops.zerosLike(abs), Ops.div(g[0], safe));
            return one(Ops.mul(Ops.complex(scale, Ops.zerosLike(scale)), z));
        });
        r.register(ComplexOps.ANGLE, (c, g) -> {
            // d atan2(y, x) = (-y dx + x dy) / |z|^2: the gradient g (-y + ix) / |z|^2 = g i z / |z|^2
            Tensor z = c.input(0);
            Tensor x = Ops.real(z), y = Ops.imag(z);
            Tensor norm = Ops.add(Ops.square(x), Ops.square(y));
            Tensor zero = Ops.equal(norm, Ops.zerosLike(norm));
            Tensor scale = Ops.where(zero, Ops.zerosLike(norm), Ops.div(g[0], Ops.where(zero, Ops.onesLike(norm),
                    norm)));
            return one(Ops.complex(Ops.mul(scale, Ops.neg(y)), Ops.mul(scale, x)));
        });

        r.register(FftOps.FFT, (c, g) -> one(times(Ops.ifft(g[0]), lastDims(g[0], 1))));
        r.register(FftOps.IFFT, (c, g) -> one(times(Ops.fft(g[0]), 1.0 / lastDims(g[0], 1))));
        r.register(FftOps.FFT2D, (c, g) -> one(times(Ops.ifft2d(g[0]), lastDims(g[0], 2))));
        r.register(FftOps.IFFT2D, (c, g) -> one(times(Ops.fft2d(g[0]), 1.0 / lastDims(g[0], 2))));
        r.register(FftOps.RFFT, (c, g) -> one(rfftGrad(c, g[0], 1)));
        r.register(FftOps.RFFT2D, (c, g) -> one(rfftGrad(c, g[0], 2)));
        r.register(FftOps.IRFFT, (c, g) -> one(irfftGrad(c, g[0], 1)));
        r.register(FftOps.IRFFT2D, (c, g) -> one(irfftGrad(c, g[0], 2)));
    }

    private static Tensor[] one(Tensor t) { return new Tensor[] {t}; }

    /** The product of the innermost {@code axes} sizes of {@code t} (known: FFT shapes are static here). */
    private static double lastDims(Tensor t, int axes) {
        double n = 1;
        for (int i = 1; i <= axes; i++) n *= t.shape().dim(-i);
        return n;
    }

    private static Tensor times(Tensor z, double s) { return Ops.mul(z, Ops.complex(scalarLike(s, z), scalarLike(0, z))); }

    private static Tensor scalarLike(double v, Tensor complex) {
        return org.nabla.Tensors.convert(v, complex.dtype().realPart());
    }

    /**
     * RFFT keeps bins 0..n/2 of the DFT of the real input cropped or padded to n: its adjoint pads the gradient with
     * zero bins to n, applies n times the inverse DFT (n1 n2 times the 2-D one), keeps the real part, and undoes the
     * crop or pad of the input.
     */
    private static Tensor rfftGrad(OpCall c, Tensor g, int axes) {
        Tensor x = c.input(0);
        int[] n = FftOps.fftLength("RFFT", x.shape(), c.attrs().getInts("fftLength"), axes, false);
        Tensor full = resizeLast(g, n[axes - 1]);
        Tensor back = axes == 1 ? Ops.ifft(full) : Ops.ifft2d(full);
        double size = axes == 1 ? n[0] : (double) n[0] * n[1];
        Tensor dx = Ops.real(times(back, size));
        for (int a = 0; a < axes; a++) dx = resizeAxis(dx, x.rank() - axes + a, x.shape().dim(-axes + a));
        return dx;
    }

    /**
     * IRFFT reads bins 0..n/2 as a Hermitian spectrum: y = Re(sum_k w_k X_k e^{2 pi i jk/n}) / n with w_k = 1 for
     * the DC and Nyquist bins, 2 for the others. Its gradient is w_k RFFT(g)_k / n (RFFT2D and n1 n2 for 2-D),
     * cropped or padded back to the input's bins.
     */
    private static Tensor irfftGrad(OpCall c, Tensor g, int axes) {
        Tensor x = c.input(0);
        int[] n = FftOps.fftLength("IRFFT", x.shape(), c.attrs().getInts("fftLength"), axes, true);
        int len = n[axes - 1], bins = len / 2 + 1;
        Tensor spectrum = axes == 1 ? Ops.rfft(g) : Ops.rfft2d(g);
        double size = axes == 1 ? len : (double) n[0] * len;
        DType part = x.dtype().realPart();
        double[] w = new double[bins];
        for (int k = 0; k < bins; k++) w[k] = (k == 0 || (len % 2 == 0 && k == len / 2) ? 1.0 : 2.0) / size;
        Tensor weights = Ops.cast(org.nabla.Tensors.of(w, bins), part);
        Tensor dx = Ops.mul(spectrum, Ops.complex(weights, Ops.zerosLike(weights)));
        for (int a = 0; a < axes; a++) dx = resizeAxis(dx, x.rank() - axes + a, x.shape().dim(-axes + a));
        return dx;
    }

    private static Tensor resizeLast(Tensor t, int size) { return resizeAxis(t, t.rank() - 1, size); }

    /** {@code t} cropped or zero-padded at the end of {@code axis} to {@code size}. */
    private static Tensor resizeAxis(Tensor t, int axis, int size) {
        int have = t.shape().dim(axis);
        if (have == size) return t;
        int rank = t.rank();
        if (have > size) {
            int[] begin = new int[rank], sizes = t.shape().dims();
            sizes[axis] = size;
            return Ops.slice(t, begin, sizes);
        }
        int[][] pads = new int[rank][2];
        pads[axis][1] = size - have;
        return Ops.pad(t, pads);
    }
}
