package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/** Test helpers: random tensors and plain-Java references. */
public final class Ref {
    private Ref() {}

    public static double[] random(int n, long seed, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * r.nextDouble();
        return a;
    }

    public static Tensor f64(double[] a, int... shape) { return Tensor.wrap(DType.FLOAT64, Shape.of(shape), a.clone()); }

    public static Tensor f32(double[] a, int... shape) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return Tensor.wrap(DType.FLOAT32, Shape.of(shape), f);
    }

    public static void assertClose(double[] expected, Tensor actual, double tol) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, "element count");
        for (int i = 0; i < a.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            if (Math.abs(expected[i] - a[i]) > tol * scale) {
                assertArrayEquals(expected, a, tol * scale, "element " + i + ": expected " + expected[i] + ", got " + a[i]);
            }
        }
    }

    /** TF output size and padding before for one axis. */
    public static int[] window(int in, int k, int stride, boolean same) {
        if (!same) return new int[] {(in - k) / stride + 1, 0};
        int out = (in + stride - 1) / stride;
        int pad = Math.max((out - 1) * stride + k - in, 0);
        return new int[] {out, pad / 2};
    }

    /** NHWC conv, HWIO filter. */
    public static double[] conv2d(double[] x, int n, int h, int w, int c, double[] f, int kh, int kw, int co,
                                  int sh, int sw, boolean same, int[] outShape) {
        int[] hy = window(h, kh, sh, same), wy = window(w, kw, sw, same);
        int oh = hy[0], ow = wy[0];
        outShape[0] = oh;
        outShape[1] = ow;
        double[] y = new double[n * oh * ow * co];
        for (int b = 0; b < n; b++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) for (int o = 0; o < co; o++) {
            double s = 0;
            for (int di = 0; di < kh; di++) for (int dj = 0; dj < kw; dj++) {
                int yi = i * sh + di - hy[1], xj = j * sw + dj - wy[1];
                if (yi < 0 || yi >= h || xj < 0 || xj >= w) continue;
                for (int ci = 0; ci < c; ci++) {
                    s += x[((b * h + yi) * w + xj) * c + ci] * f[((di * kw + dj) * c + ci) * co + o];
                }
            }
            y[((b * oh + i) * ow + j) * co + o] = s;
        }
        return y;
    }

    /** NHWC pooling (max or average over valid elements). */
    public static double[] pool(double[] x, int n, int h, int w, int c, int kh, int kw, int sh, int sw, boolean same,
                                boolean max, int[] outShape) {
        int[] hy = window(h, kh, sh, same), wy = window(w, kw, sw, same);
        int oh = hy[0], ow = wy[0];
        outShape[0] = oh;
        outShape[1] = ow;
        double[] y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) for (int ci = 0; ci < c; ci++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            int count = 0;
            for (int di = 0; di < kh; di++) for (int dj = 0; dj < kw; dj++) {
                int yi = i * sh + di - hy[1], xj = j * sw + dj - wy[1];
                if (yi < 0 || yi >= h || xj < 0 || xj >= w) continue;
                double v = x[((b * h + yi) * w + xj) * c + ci];
                acc = max ? Math.max(acc, v) : acc + v;
                count++;
            }
            y[((b * oh + i) * ow + j) * c + ci] = max ? acc : acc / count;
        }
        return y;
    }
}
