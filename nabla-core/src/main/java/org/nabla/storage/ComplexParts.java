package org.nabla.storage;

import org.nabla.DType;

/**
 * Complex storage: element {@code i} of a complex64 (complex128) tensor is {@code a[2i]} (real) and {@code a[2i + 1]}
 * (imaginary) of a {@code float[]} ({@code double[]}). Interleaved like NumPy's, TensorFlow's and ONNX's memory
 * layout, so .npy files and ONNX tensors read and write without reshuffling, and both parts of an element share a
 * cache line. These helpers split and join the parts and widen them to double for generic code.
 */
public final class ComplexParts {
    private ComplexParts() {}

    /**
     * The first {@code n} elements of {@code re} and {@code im} (real arrays of any storage, read by value as
     * {@code partDType}) interleaved into new {@code complex} storage; {@code im} null means imaginary parts 0.
     */
    public static Object join(DType complex, Object re, Object im, DType partDType, int n) {
        if (complex == DType.COMPLEX64) {
            float[] z = new float[2 * n];
            for (int i = 0; i < n; i++) {
                z[2 * i] = (float) Strided.read(re, i, partDType);
                z[2 * i + 1] = im == null ? 0f : (float) Strided.read(im, i, partDType);
            }
            return z;
        }
        double[] z = new double[2 * n];
        for (int i = 0; i < n; i++) {
            z[2 * i] = Strided.read(re, i, partDType);
            z[2 * i + 1] = im == null ? 0 : Strided.read(im, i, partDType);
        }
        return z;
    }

    /** The real ({@code imag} false) or imaginary parts of the first {@code n} elements: a float[] or double[]. */
    public static Object part(Object complex, int n, boolean imag) {
        int k = imag ? 1 : 0;
        if (complex instanceof float[] z) {
            float[] p = new float[n];
            for (int i = 0; i < n; i++) p[i] = z[2 * i + k];
            return p;
        }
        double[] z = (double[]) complex;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) p[i] = z[2 * i + k];
        return p;
    }

    /** All {@code 2n} parts of complex storage widened to double, still interleaved. */
    public static double[] toDoubles(Object complex, int n) {
        if (complex instanceof double[] z) return java.util.Arrays.copyOf(z, 2 * n);
        float[] z = (float[]) complex;
        double[] d = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) d[i] = z[i];
        return d;
    }

    /** Interleaved doubles as the storage of {@code complex} (rounded to float for complex64). */
    public static Object fromDoubles(DType complex, double[] z) {
        if (complex == DType.COMPLEX128) return z;
        float[] f = new float[z.length];
        for (int i = 0; i < z.length; i++) f[i] = (float) z[i];
        return f;
    }
}
