package org.nabla.ops;

import org.nabla.DType;
import org.nabla.Shape;

/**
 * Discrete Fourier transforms over the innermost one or two axes, with TensorFlow's names and conventions:
 * {@code FFT} is unnormalized ({@code X[k] = sum x[j] exp(-2 pi i jk / n)}), {@code IFFT} divides by n. The real
 * transforms take an {@code fftLength} attribute (TensorFlow's {@code fft_length} input): {@code RFFT} crops or
 * zero-pads the real input to it and keeps the {@code n / 2 + 1} non-negative frequencies; {@code IRFFT} reads that
 * many bins (cropping or zero-padding) and returns n real values, treating the input as Hermitian (the imaginary parts
 * of the zero and Nyquist bins are ignored). Any length works: powers of two by radix 2, others by Bluestein's
 * algorithm, both O(n log n).
 */
public final class FftOps {
    private FftOps() {}

    /** {@code tf.signal.fft}: the DFT over the innermost axis. */
    public static final OpDef FFT = complexFft("FFT", 1).summary("DFT over the innermost axis").build();

    /** {@code tf.signal.ifft}: the inverse DFT (divided by n) over the innermost axis. */
    public static final OpDef IFFT = complexFft("IFFT", 1).summary("inverse DFT over the innermost axis, / n").build();

    /** {@code tf.signal.fft2d}: the 2-D DFT over the two innermost axes. */
    public static final OpDef FFT2D = complexFft("FFT2D", 2).summary("2-D DFT over the two innermost axes").build();

    /** {@code tf.signal.ifft2d}: the inverse 2-D DFT (divided by n1 * n2). */
    public static final OpDef IFFT2D = complexFft("IFFT2D", 2)
            .summary("inverse 2-D DFT over the two innermost axes, / (n1 * n2)").build();

    /** {@code tf.signal.rfft}: the DFT of a real signal, the n / 2 + 1 non-negative frequencies. */
    public static final OpDef RFFT = realFft("RFFT", 1, false)
            .summary("DFT of real input over the innermost axis (cropped/padded to fftLength): n / 2 + 1 bins").build();

    /** {@code tf.signal.irfft}: the real signal of n / 2 + 1 Hermitian bins. */
    public static final OpDef IRFFT = realFft("IRFFT", 1, true)
            .summary("inverse of RFFT: fftLength real values from n / 2 + 1 bins of the innermost axis").build();

    /** {@code tf.signal.rfft2d}: RFFT over the innermost axis, then FFT over the one before. */
    public static final OpDef RFFT2D = realFft("RFFT2D", 2, false)
            .summary("2-D DFT of real input over the two innermost axes: [n1, n2 / 2 + 1] bins").build();

    /** {@code tf.signal.irfft2d}: the inverse of RFFT2D. */
    public static final OpDef IRFFT2D = realFft("IRFFT2D", 2, true)
            .summary("inverse of RFFT2D: [n1, n2] real values from [n1, n2 / 2 + 1] bins").build();

    private static OpDef.Builder complexFft(String name, int axes) {
        return OpDef.builder(name).inputs("input").shape((in, a) -> {
            ComplexOps.requireComplex(name, in[0]);
            ComplexOps.requireInnerAxes(name, in[0], axes);
            return Infer.one(in[0].dtype(), in[0].shape());
        });
    }

    private static OpDef.Builder realFft(String name, int axes, boolean inverse) {
        return OpDef.builder(name).inputs("input").attr("fftLength", AttrType.INTS, new int[0]).shape((in, a) -> {
            Shape s = ComplexOps.requireInnerAxes(name, in[0], axes);
            if (inverse) ComplexOps.requireComplex(name, in[0]);
            else Infer.requireDType(name, "input", in[0], DType.FLOAT32, DType.FLOAT64);
            int[] n = fftLength(name, s, a.getInts("fftLength"), axes, inverse);
            int[] dims = s.dims();
            for (int i = 0; i < axes; i++) {
                boolean last = i == axes - 1;
                dims[dims.length - axes + i] = last && !inverse ? n[i] / 2 + 1 : n[i];
            }
            DType out = inverse ? in[0].dtype().realPart() : in[0].dtype().complexOf();
            return Infer.one(out, Shape.of(dims));
        });
    }

    /**
     * The transform lengths of a real transform: the attribute, or by default the input's innermost sizes (for the
     * inverse, {@code 2 * (bins - 1)} on the last axis, as TensorFlow infers it).
     */
    public static int[] fftLength(String op, Shape input, int[] attr, int axes, boolean inverse) {
        if (attr.length == 0) {
            int[] n = new int[axes];
            for (int i = 0; i < axes; i++) n[i] = input.dim(input.rank() - axes + i);
            if (inverse && n[axes - 1] >= 0) n[axes - 1] = Math.max(0, 2 * (n[axes - 1] - 1));
            return n;
        }
        if (attr.length != axes) {
            throw new OpException(op, "fftLength must have " + axes + " entries, got " + attr.length);
        }
        for (int v : attr) if (v < 0) throw new OpException(op, "fftLength must be >= 0, got " + v);
        return attr.clone();
    }
}
