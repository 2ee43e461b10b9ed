package org.nabla.kernels.cpu;

/**
 * A plan for unnormalized complex DFTs of one length n, in double precision, on separate real and imaginary arrays:
 * iterative radix-2 for powers of two, Bluestein's chirp-z algorithm for every other n (the DFT as a convolution of
 * length m = 2^k >= 2n - 1, done by radix-2 transforms), so every length costs O(n log n). A plan is immutable once
 * made and may be shared by threads; {@link #transform} needs only its arguments as scratch.
 */
final class Fft {
    private final int n;
    private final boolean powerOfTwo;
    private final double[] cos, sin;        // radix-2 twiddles exp(-2 pi i k / size), k < size / 2
    private final int m;                    // Bluestein's convolution length (n itself for powers of two)
    private final double[] chirpRe, chirpIm; // exp(-pi i k^2 / n), k < n
    private final double[] kernelRe, kernelIm; // the FFT of conj(chirp) laid out circularly over m

    Fft(int n) {
        if (n < 1) throw new IllegalArgumentException("a transform needs length >= 1, got " + n);
        this.n = n;
        this.powerOfTwo = Integer.bitCount(n) == 1;
        this.m = powerOfTwo ? n : Integer.highestOneBit(2 * n - 1) << (Integer.bitCount(2 * n - 1) == 1 ? 0 : 1);
        this.cos = new double[m / 2];
        this.sin = new double[m / 2];
        for (int k = 0; k < m / 2; k++) {
            double a = -2 * Math.PI * k / m;
            cos[k] = Math.cos(a);
            sin[k] = Math.sin(a);
        }
        if (powerOfTwo) {
            chirpRe = chirpIm = kernelRe = kernelIm = null;
            return;
        }
        chirpRe = new double[n];
        chirpIm = new double[n];
        for (int k = 0; k < n; k++) {
            // k^2 mod 2n keeps the angle small, so large k lose no precision
            double a = -Math.PI * (double) ((long) k * k % (2L * n)) / n;
            chirpRe[k] = Math.cos(a);
            chirpIm[k] = Math.sin(a);
        }
        kernelRe = new double[m];
        kernelIm = new double[m];
        for (int k = 0; k < n; k++) {
            kernelRe[k] = chirpRe[k];
            kernelIm[k] = -chirpIm[k];
            if (k > 0) {
                kernelRe[m - k] = chirpRe[k];
                kernelIm[m - k] = -chirpIm[k];
            }
        }
        radix2(kernelRe, kernelIm, false);
    }

    /** The length this plan transforms. */
    int length() { return n; }

    /**
     * Replaces {@code re}, {@code im} (length n) with their DFT, {@code sum x[j] exp(-+2 pi i jk / n)}: the minus
     * sign forward, plus for {@code inverse} (no 1/n: callers scale).
     */
    void transform(double[] re, double[] im, boolean inverse) {
        if (n == 1) return;
        if (inverse) conjugate(re, im, n);   // inverse DFT = conj(DFT(conj(x)))
        if (powerOfTwo) radix2(re, im, false);
        else bluestein(re, im);
        if (inverse) conjugate(re, im, n);
    }

    private void bluestein(double[] re, double[] im) {
        double[] ar = new double[m], ai = new double[m];
        for (int k = 0; k < n; k++) {
            ar[k] = re[k] * chirpRe[k] - im[k] * chirpIm[k];
            ai[k] = re[k] * chirpIm[k] + im[k] * chirpRe[k];
        }
        radix2(ar, ai, false);
        for (int k = 0; k < m; k++) {
            double r = ar[k] * kernelRe[k] - ai[k] * kernelIm[k];
            ai[k] = ar[k] * kernelIm[k] + ai[k] * kernelRe[k];
            ar[k] = r;
        }
        radix2(ar, ai, true);
        double scale = 1.0 / m;
        for (int k = 0; k < n; k++) {
            double cr = ar[k] * scale, ci = ai[k] * scale;
            re[k] = cr * chirpRe[k] - ci * chirpIm[k];
            im[k] = cr * chirpIm[k] + ci * chirpRe[k];
        }
    }

    /** In-place iterative radix-2 DFT of length m (unscaled); {@code inverse} flips the twiddles' sign. */
    private void radix2(double[] re, double[] im, boolean inverse) {
        int size = re.length;   // n for a power of two, m inside Bluestein
        for (int i = 1, j = 0; i < size; i++) {   // bit-reversal permutation
            int bit = size >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j |= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        double sign = inverse ? -1 : 1;
        for (int len = 2; len <= size; len <<= 1) {
            int half = len >> 1, step = m / len;
            for (int start = 0; start < size; start += len) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * step], wi = sign * sin[k * step];
                    int a = start + k, b = a + half;
                    double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }

    private static void conjugate(double[] re, double[] im, int n) {
        for (int k = 0; k < n; k++) im[k] = -im[k];
    }
}
