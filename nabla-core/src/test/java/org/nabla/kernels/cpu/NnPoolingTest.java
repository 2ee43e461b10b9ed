package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nabla.TensorAssert.assertClose;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.PoolOptions;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.ops.Attrs;
import org.nabla.ops.NnGradOps;

/**
 * The paths of the one pooling kernel family that the op tests reach only by chance: whole vectors of channel lanes
 * with a scalar tail, windows holding NaN or infinities of both signs (the vector path hands those to the scalar
 * rule), channels-first data moved channels-last and back (values, positions, gradients), one-channel slices, and
 * slices too large to tabulate at once.
 */
class NnPoolingTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(11);

    /** MaxPool2D's first maximum of each window (a NaN wins over numbers) as NHWC flat positions. */
    private static int[] argmaxReference(double[] x, int[] nhwc, int k, int s, String padding) {
        int n = nhwc[0], h = nhwc[1], w = nhwc[2], c = nhwc[3];
        int[] oh = axis(h, k, s, padding), ow = axis(w, k, s, padding);
        int[] at = new int[n * oh[0] * ow[0] * c];
        for (int b = 0, q = 0; b < n; b++) {
            for (int i = 0; i < oh[0]; i++) {
                for (int j = 0; j < ow[0]; j++) {
                    for (int ch = 0; ch < c; ch++, q++) {
                        int best = -1;
                        for (int p = 0; p < k * k; p++) {
                            int ih = i * s - oh[1] + p / k, iw = j * s - ow[1] + p % k;
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                            int pos = ((b * h + ih) * w + iw) * c + ch;
                            double v = x[pos];
                            if (best < 0 || v > x[best] || Double.isNaN(v) && !Double.isNaN(x[best])) best = pos;
                        }
                        at[q] = best;
                    }
                }
            }
        }
        return at;
    }

    /** {out, padBefore} of TensorFlow's SAME/VALID rule. */
    private static int[] axis(int in, int k, int s, String padding) {
        if (padding.equals("VALID")) return new int[] {(in - k) / s + 1, 0};
        int out = (in + s - 1) / s;
        return new int[] {out, Math.max(0, (out - 1) * s + k - in) / 2};
    }

    private static Attrs attrs2d(int k, int s, String padding, String format) {
        return Attrs.of("ksize", new int[] {k, k}, "strides", new int[] {s, s}, "padding", padding, "dataFormat",
                format);
    }

    /** The flat input positions MaxPool2D took its maxima from: its GradGrad of the positions themselves. */
    private static int[] positions(Tensor x, Attrs a) {
        double[] iota = new double[x.shape().intSize()];
        for (int i = 0; i < iota.length; i++) iota[i] = i;
        Tensor idx = Ops.cast(Tensor.wrap(DType.FLOAT64, x.shape(), iota), x.dtype());
        return Ops.run(NnGradOps.MAX_POOL2D_GRAD_GRAD, a, x, idx).toIntArray();
    }

    @Test
    void vectorLanesScalarTailNanAndInfinitiesFollowTheScalarRule() {
        // 37 channels: whole vectors and a scalar tail for any vector width (channels first: moved channels last);
        // one channel: one lane per slice in either layout
        for (int[] shape : new int[][] {{2, 7, 6, 37}, {3, 7, 6, 1}}) checkMaxRule(shape);
    }

    private static void checkMaxRule(int[] shape) {
        int size = shape[0] * shape[1] * shape[2] * shape[3];
        double[] v = new double[size];
        for (int i = 0; i < size; i++) v[i] = RANDOM.nextInt(-40, 40) / 8.0; // ties are common
        for (int i = 0; i < size; i += 97) v[i] = Double.NaN;
        for (int i = 5; i < size; i += 89) v[i] = Double.POSITIVE_INFINITY;
        for (int i = 5 + shape[3]; i < size; i += 89) v[i] = Double.NEGATIVE_INFINITY; // the pixel to the right
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Ops.cast(Tensor.wrap(DType.FLOAT64, Shape.of(shape), v), dtype);
            for (String padding : new String[] {"SAME", "VALID"}) {
                for (int[] ks : new int[][] {{2, 2}, {3, 2}, {3, 1}}) {
                    Attrs nhwc = attrs2d(ks[0], ks[1], padding, "NHWC");
                    int[] expected = argmaxReference(v, shape, ks[0], ks[1], padding);
                    assertArrayEquals(expected, positions(x, nhwc), () -> dtype + " " + nhwc);
                    double[] values = Ops.maxPool2d(x, new int[] {ks[0], ks[0]}, new int[] {ks[1], ks[1]}, padding)
                            .toDoubleArray();
                    for (int q = 0; q < expected.length; q++) assertEquals(v[expected[q]], values[q], 0, "value " + q);
                    // channels first: one lane per slice, the scalar rule only; same windows, same picks
                    Tensor xc = Ops.transpose(x, 0, 3, 1, 2);
                    Tensor picked = Ops.run(NnGradOps.MAX_POOL2D_GRAD_GRAD, attrs2d(ks[0], ks[1], padding, "NCHW"),
                            xc, xc);
                    assertArrayEquals(values, Ops.transpose(picked, 0, 2, 3, 1).toDoubleArray());
                }
            }
        }
    }

    @Test
    void maxPoolGradientsAgreeAcrossLayouts() {
        Tensor x = Tensor.wrap(DType.FLOAT64, Shape.of(2, 5, 7, 20), values(2 * 5 * 7 * 20));
        Attrs nhwc = attrs2d(3, 2, "SAME", "NHWC"), nchw = attrs2d(3, 2, "SAME", "NCHW");
        Tensor g = Tensor.wrap(DType.FLOAT64, Shape.of(2, 3, 4, 20), values(2 * 3 * 4 * 20));
        Tensor dx = Ops.run(NnGradOps.MAX_POOL2D_GRAD, nhwc, x, g);
        Tensor dxc = Ops.run(NnGradOps.MAX_POOL2D_GRAD, nchw, Ops.transpose(x, 0, 3, 1, 2),
                Ops.transpose(g, 0, 3, 1, 2));
        assertArrayEquals(dx.toDoubleArray(), Ops.transpose(dxc, 0, 2, 3, 1).toDoubleArray());
        Tensor gg = Tensor.wrap(DType.FLOAT64, x.shape(), values(x.shape().intSize()));
        Tensor y = Ops.run(NnGradOps.MAX_POOL2D_GRAD_GRAD, nhwc, x, gg);
        Tensor yc = Ops.run(NnGradOps.MAX_POOL2D_GRAD_GRAD, nchw, Ops.transpose(x, 0, 3, 1, 2),
                Ops.transpose(gg, 0, 3, 1, 2));
        assertArrayEquals(y.toDoubleArray(), Ops.transpose(yc, 0, 2, 3, 1).toDoubleArray());
        Tensor avg = Ops.run(NnGradOps.AVG_POOL2D_GRAD, nhwc, g, x);
        Tensor avgc = Ops.run(NnGradOps.AVG_POOL2D_GRAD, nchw, Ops.transpose(g, 0, 3, 1, 2),
                Ops.transpose(x, 0, 3, 1, 2));
        assertArrayEquals(avg.toDoubleArray(), Ops.transpose(avgc, 0, 2, 3, 1).toDoubleArray());
        Tensor empty = Tensor.wrap(DType.FLOAT32, Shape.of(0, 4, 4, 3), new float[0]);
        assertEquals(Shape.of(0, 4, 4, 3), Ops.run(NnGradOps.MAX_POOL2D_GRAD, attrs2d(2, 2, "VALID", "NHWC"), empty,
                Tensor.wrap(DType.FLOAT32, Shape.of(0, 2, 2, 3), new float[0])).shape());
    }

    @Test
    void theTwoDimensionalOpsAreTheNdOpsWithTwoAxes() {
        Tensor x = Tensor.wrap(DType.FLOAT64, Shape.of(2, 3, 9, 8), values(2 * 3 * 9 * 8));
        for (String padding : new String[] {"SAME", "VALID"}) {
            PoolOptions o = PoolOptions.of(3, 3).strides(2, 2).padding(padding);
            int[] k = {3, 3}, s = {2, 2};
            assertArrayEquals(Ops.maxPool(x, o).toDoubleArray(), Ops.maxPool2d(x, k, s, padding, "NCHW")
                    .toDoubleArray());
            assertArrayEquals(Ops.avgPool(x, o).toDoubleArray(), Ops.avgPool2d(x, k, s, padding, "NCHW")
                    .toDoubleArray());
        }
    }

    @Test
    void slicesTooLargeToTabulateAtOnceAreWalkedInSlabs() {
        int side = 600, plane = side * side; // 3x3 windows: about 3.2M taps per slice, over the 1M tabulated at once
        double[] v = values(2 * plane), g = values(2 * plane);
        Tensor x = Tensor.wrap(DType.FLOAT64, Shape.of(1, 2, side, side), v);
        PoolOptions o = PoolOptions.of(3, 3).pads(1, 1, 1, 1);
        double[] max = new double[v.length], avg = new double[v.length], grad = new double[v.length];
        long[] at = new long[v.length];
        for (int q = 0; q < v.length; q++) {
            int p = q / plane, i = q % plane / side, j = q % side, best = -1, count = 0;
            double sum = 0;
            for (int t = 0; t < 9; t++) {
                int ih = i - 1 + t / 3, iw = j - 1 + t % 3;
                if (ih < 0 || ih >= side || iw < 0 || iw >= side) continue;
                int pos = p * plane + ih * side + iw;
                if (best < 0 || v[pos] > v[best]) best = pos;
                sum += v[pos];
                count++;
            }
            max[q] = v[best];
            at[q] = best;
            avg[q] = sum / count;
            for (int t = 0; t < 9; t++) {
                int ih = i - 1 + t / 3, iw = j - 1 + t % 3;
                if (ih >= 0 && ih < side && iw >= 0 && iw < side) grad[p * plane + ih * side + iw] += g[q] / count;
            }
        }
        Tensor[] mp = Ops.maxPoolWithIndices(x, o);
        assertArrayEquals(max, mp[0].toDoubleArray());
        assertArrayEquals(at, mp[1].toLongArray());
        int[] dims = {1, 2, side, side};
        assertClose(avg, Ops.avgPool(x, o), DType.FLOAT64, dims, 1e-15);
        assertClose(grad, Ops.run(NnGradOps.AVG_POOL_GRAD, o.attrs(false), Tensor.wrap(DType.FLOAT64, x.shape(), g),
                x), DType.FLOAT64, dims, 1e-14);
    }

    private static double[] values(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = RANDOM.nextDouble(-4, 4);
        return v;
    }
}
