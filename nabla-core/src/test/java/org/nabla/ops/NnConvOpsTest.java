package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.Conv2dOptions;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Conv2D, MaxPool2D and AvgPool2D against naive float64 loops written directly from the definitions. */
class NnConvOpsTest {
    // ---------------------------------------------------------------- references (NHWC, HWIO)

    /** {out, padBefore} for one axis, from TF's rules. */
    private static int[] axis(int in, int k, int s, int d, String padding, int before, int after) {
        int eff = (k - 1) * d + 1;
        if (padding.equals("SAME")) {
            int out = (in + s - 1) / s;
            int total = Math.max((out - 1) * s + eff - in, 0);
            return new int[] {out, total / 2};
        }
        if (padding.equals("VALID")) return new int[] {(in - eff) / s + 1, 0};
        return new int[] {(in + before + after - eff) / s + 1, before};
    }

    /** The plain 7-loop convolution (plus a group loop) with padding, stride and dilation handled directly. */
    static double[] conv2dReference(double[] x, int n, int h, int w, int c, double[] f, int kh, int kw, int oc,
                                    int[] s, String padding, int[] ep, int[] d, int groups, int[] outDims) {
        int[] ah = axis(h, kh, s[0], d[0], padding, ep[0], ep[1]);
        int[] aw = axis(w, kw, s[1], d[1], padding, ep[2], ep[3]);
        int oh = ah[0], ow = aw[0], cg = c / groups, ocg = oc / groups;
        outDims[0] = oh;
        outDims[1] = ow;
        double[] y = new double[n * oh * ow * oc];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int o = 0; o < oc; o++) {
                        int g = o / ocg;
                        double sum = 0;
                        for (int p = 0; p < kh; p++) {
                            for (int q = 0; q < kw; q++) {
                                int ih = i * s[0] - ah[1] + p * d[0], iw = j * s[1] - aw[1] + q * d[1];
                                if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                for (int ci = 0; ci < cg; ci++) {
                                    sum += x[((b * h + ih) * w + iw) * c + g * cg + ci]
                                            * f[((p * kw + q) * cg + ci) * oc + o];
                                }
                            }
                        }
                        y[((b * oh + i) * ow + j) * oc + o] = sum;
                    }
                }
            }
        }
        return y;
    }

    static double[] poolReference(double[] x, int n, int h, int w, int c, int[] k, int[] s, String padding,
                                  boolean max, int[] outDims) {
        int[] ah = axis(h, k[0], s[0], 1, padding, 0, 0), aw = axis(w, k[1], s[1], 1, padding, 0, 0);
        int oh = ah[0], ow = aw[0];
        outDims[0] = oh;
        outDims[1] = ow;
        double[] y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        int count = 0;
                        for (int p = 0; p < k[0]; p++) {
                            for (int q = 0; q < k[1]; q++) {
                                int ih = i * s[0] - ah[1] + p, iw = j * s[1] - aw[1] + q;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                double v = x[((b * h + ih) * w + iw) * c + ch];
                                acc = max ? Math.max(acc, v) : acc + v;
                                count++;
                            }
                        }
                        y[((b * oh + i) * ow + j) * c + ch] = max ? acc : acc / count;
                    }
                }
            }
        }
        return y;
    }

    /** NHWC data -> NCHW data. */
    static double[] toNchw(double[] x, int n, int h, int w, int c) {
        double[] y = new double[x.length];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    for (int ch = 0; ch < c; ch++) y[((b * c + ch) * h + i) * w + j] = x[((b * h + i) * w + j) * c + ch];
                }
            }
        }
        return y;
    }

    static double[] random(Random rnd, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) v[i] = rnd.nextDouble() * 2 - 1;
        return v;
    }

    static Tensor tensor(double[] v, DType dtype, int... shape) {
        if (dtype == DType.FLOAT64) return Tensors.of(v, shape);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return Tensors.of(f, shape);
    }

    /** Values as the dtype holds them, so the float64 reference sees exactly the kernel's inputs. */
    static double[] rounded(double[] v, DType dtype) {
        if (dtype == DType.FLOAT64) return v;
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = (float) v[i];
        return r;
    }

    // ---------------------------------------------------------------- conv2d

    @Test
    void convolvesHandWorkedThreeByThree() {
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
        Tensor diag = Tensors.of(new float[] {1, 0, 0, 1}, 2, 2, 1, 1); // y = x[i][j] + x[i+1][j+1]
        assertClose(new double[] {6, 8, 12, 14}, Ops.conv2d(x, diag, 1, "VALID"), DType.FLOAT32,
                new int[] {1, 2, 2, 1}, 0);
        Tensor ones = Tensors.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, 3, 3, 1, 1); // 3x3 neighbourhood sums
        assertClose(new double[] {12, 21, 16, 27, 45, 33, 24, 39, 28}, Ops.conv2d(x, ones, 1, "SAME"),
                DType.FLOAT32, new int[] {1, 3, 3, 1}, 0);
        assertClose(new double[] {12, 16, 24, 28}, Ops.conv2d(x, ones, new int[] {2, 2}, "SAME"), DType.FLOAT32,
                new int[] {1, 2, 2, 1}, 0);
    }

    private record Case(int n, int h, int w, int c, int kh, int kw, int oc, int[] s, String padding, int[] ep,
                        int[] d, int groups) {}

    private static void checkConv(Case k, DType dtype, String format, long seed) {
        Random rnd = new Random(seed);
        double[] x = rounded(random(rnd, k.n * k.h * k.w * k.c), dtype);
        double[] f = rounded(random(rnd, k.kh * k.kw * (k.c / k.groups) * k.oc), dtype);
        int[] od = new int[2];
        double[] expected = conv2dReference(x, k.n, k.h, k.w, k.c, f, k.kh, k.kw, k.oc, k.s, k.padding, k.ep, k.d,
                k.groups, od);
        Conv2dOptions o = Conv2dOptions.defaults().strides(k.s[0], k.s[1]).padding(k.padding)
                .dilations(k.d[0], k.d[1]).groups(k.groups).dataFormat(format);
        if (k.padding.equals("EXPLICIT")) o = o.explicitPaddings(k.ep[0], k.ep[1], k.ep[2], k.ep[3]);
        Tensor filter = tensor(f, dtype, k.kh, k.kw, k.c / k.groups, k.oc);
        double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
        if (format.equals("NHWC")) {
            Tensor y = Ops.conv2d(tensor(x, dtype, k.n, k.h, k.w, k.c), filter, o);
            assertClose(expected, y, dtype, new int[] {k.n, od[0], od[1], k.oc}, tol);
        } else {
            Tensor y = Ops.conv2d(tensor(toNchw(x, k.n, k.h, k.w, k.c), dtype, k.n, k.c, k.h, k.w), filter, o);
            assertClose(toNchw(expected, k.n, od[0], od[1], k.oc), y, dtype, new int[] {k.n, k.oc, od[0], od[1]},
                    tol);
        }
    }

    @Test
    void matchesNaiveReferenceForStridesPaddingDilationGroupsAndBothFormats() {
        int[] one = {1, 1}, two = {2, 2}, none = {0, 0, 0, 0};
        Case[] cases = {
            new Case(2, 5, 6, 3, 3, 3, 4, one, "SAME", none, one, 1),
            new Case(2, 7, 8, 2, 3, 2, 3, two, "VALID", none, one, 1),
            new Case(3, 7, 9, 4, 3, 3, 6, two, "SAME", none, two, 2), // odd sizes, stride 2, dilation 2, groups 2
            new Case(1, 6, 5, 6, 2, 3, 6, new int[] {1, 2}, "SAME", none, new int[] {2, 1}, 3),
            new Case(2, 4, 5, 3, 3, 3, 2, one, "EXPLICIT", new int[] {1, 2, 0, 3}, one, 1),
            new Case(2, 4, 4, 5, 1, 1, 7, one, "VALID", none, one, 1), // pointwise fast path
            new Case(2, 4, 4, 4, 1, 1, 4, one, "SAME", none, one, 4), // depthwise-like 1x1 groups
            new Case(2, 5, 6, 19, 3, 3, 19, one, "SAME", none, one, 19), // depthwise: a vector width and a tail
            new Case(2, 7, 6, 3, 3, 2, 6, two, "SAME", none, one, 3), // depthwise, multiplier 2, stride 2
            new Case(1, 6, 7, 4, 2, 3, 4, one, "EXPLICIT", new int[] {1, 2, 0, 1}, two, 4), // depthwise, dilated
            new Case(1, 9, 9, 1, 4, 4, 2, new int[] {3, 3}, "SAME", none, one, 1), // even kernel, extra pad bottom
        };
        long seed = 1;
        for (Case k : cases) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (String format : new String[] {"NHWC", "NCHW"}) checkConv(k, dtype, format, seed++);
            }
        }
    }

    @Test
    void matchesReferenceOnBenchmarkShapedBatchAcrossTiles() {
        // the benchmark's layer (28x28x32 -> 3x3x64, SAME) on a batch of 4: many tiles, several threads
        checkConv(new Case(4, 28, 28, 32, 3, 3, 64, new int[] {1, 1}, "SAME", new int[4], new int[] {1, 1}, 1),
                DType.FLOAT32, "NHWC", 42);
    }

    @Test
    void acceptsNonContiguousInputs() {
        Random rnd = new Random(9);
        int n = 2, h = 5, w = 4, c = 3, oc = 2;
        double[] x = random(rnd, n * h * w * c), f = random(rnd, 2 * 2 * c * oc);
        int[] od = new int[2];
        double[] expected = conv2dReference(x, n, h, w, c, f, 2, 2, oc, new int[] {1, 1}, "SAME", new int[4],
                new int[] {1, 1}, 1, od);
        Tensor nhwcView = Tensors.of(toNchw(x, n, h, w, c), n, c, h, w).transpose(0, 2, 3, 1); // a strided view
        assertClose(expected, Ops.conv2d(nhwcView, Tensors.of(f, 2, 2, c, oc), 1, "SAME"), DType.FLOAT64,
                new int[] {n, h, w, oc}, 1e-12);
    }

    @Test
    void handlesEmptyBatchAndUnknownBatchInShapeInference() {
        Tensor x = Tensors.of(new float[0], 0, 5, 5, 3);
        Tensor f = Tensors.of(new float[3 * 3 * 3 * 4], 3, 3, 3, 4);
        assertEquals(Shape.of(0, 3, 3, 4), Ops.conv2d(x, f, 2, "SAME").shape());
        assertEquals(Shape.of(0, 4, 3, 3), Ops.conv2d(Tensors.of(new float[0], 0, 3, 5, 5), f,
                Conv2dOptions.defaults().strides(2, 2).padding("SAME").dataFormat("NCHW")).shape());
        Tensor noChannels = Ops.conv2d(Tensors.of(new float[2 * 3 * 3 * 0], 2, 3, 3, 0),
                Tensors.of(new float[0], 2, 2, 0, 5), 1, "VALID"); // K = 0: every output is an empty sum
        assertClose(new double[2 * 2 * 2 * 5], noChannels, DType.FLOAT32, new int[] {2, 2, 2, 5}, 0);
        TensorSpec[] out = NnOps.CONV2D.infer(new TensorSpec[] {TensorSpec.of(DType.FLOAT32, Shape.of(-1, 28, 28, 3)),
            TensorSpec.of(DType.FLOAT32, Shape.of(3, 3, 3, 8))}, NnOps.CONV2D.resolveAttrs(Attrs.of("padding", "SAME",
                "strides", new int[] {2, 2})));
        assertEquals(Shape.of(-1, 14, 14, 8), out[0].shape());
        TensorSpec[] pool = NnOps.MAX_POOL2D.infer(new TensorSpec[] {TensorSpec.of(DType.FLOAT64,
                Shape.of(-1, 3, -1, 7))}, NnOps.MAX_POOL2D.resolveAttrs(Attrs.of("ksize", new int[] {2, 2},
                "strides", new int[] {2, 2}, "dataFormat", "NCHW")));
        assertEquals(Shape.of(-1, 3, -1, 3), pool[0].shape());
    }

    @Test
    void rejectsBadConvolutionsWithUsefulMessages() {
        Tensor x = Tensors.of(new float[2 * 5 * 5 * 3], 2, 5, 5, 3);
        OpException ch = assertThrows(OpException.class,
                () -> Ops.conv2d(x, Tensors.of(new float[3 * 3 * 4 * 8], 3, 3, 4, 8), 1, "SAME"));
        assertTrue(ch.getMessage().startsWith("Conv2D: input (2, 5, 5, 3) (NHWC) has 3 channels but filter "
                + "(3, 3, 4, 8) expects 4"), ch.getMessage());
        OpException g = assertThrows(OpException.class, () -> Ops.conv2d(x, Tensors.of(new float[9 * 8], 3, 3, 1, 8),
                Conv2dOptions.defaults().groups(2)));
        assertTrue(g.getMessage().contains("input channels 3 of input (2, 5, 5, 3) are not divisible by groups 2"),
                g.getMessage());
        Tensor x4 = Tensors.of(new float[5 * 5 * 4], 1, 5, 5, 4);
        OpException og = assertThrows(OpException.class, () -> Ops.conv2d(x4,
                Tensors.of(new float[9 * 2 * 3], 3, 3, 2, 3), Conv2dOptions.defaults().groups(2)));
        assertTrue(og.getMessage().contains("output channels 3 of filter (3, 3, 2, 3) are not divisible by groups 2"),
                og.getMessage());
        OpException p = assertThrows(OpException.class,
                () -> Ops.conv2d(x, Tensors.of(new float[9 * 3], 3, 3, 3, 1), 1, "same"));
        assertEquals("Conv2D: padding must be \"SAME\", \"VALID\" or \"EXPLICIT\", got \"same\"", p.getMessage());
        OpException v = assertThrows(OpException.class,
                () -> Ops.conv2d(x, Tensors.of(new float[36 * 3], 6, 6, 3, 1), 1, "VALID"));
        assertTrue(v.getMessage().contains("input height 5 is smaller than the effective window 6"), v.getMessage());
        OpException r = assertThrows(OpException.class,
                () -> Ops.conv2d(Tensors.of(new float[75], 5, 5, 3), Tensors.of(new float[27], 3, 3, 3, 1), 1, "SAME"));
        assertTrue(r.getMessage().contains("input 'input' must have rank 4, got shape (5, 5, 3)"), r.getMessage());
        OpException df = assertThrows(OpException.class, () -> Ops.conv2d(x, Tensors.of(new float[27], 3, 3, 3, 1),
                Conv2dOptions.defaults().dataFormat("NWHC")));
        assertTrue(df.getMessage().contains("dataFormat must be \"NHWC\" or \"NCHW\", got \"NWHC\""), df.getMessage());
        OpException st = assertThrows(OpException.class, () -> Ops.conv2d(x, Tensors.of(new float[27], 3, 3, 3, 1),
                Conv2dOptions.defaults().strides(0, 1)));
        assertTrue(st.getMessage().contains("strides must be 2 positive ints"), st.getMessage());
    }

    // ---------------------------------------------------------------- pooling

    @Test
    void poolsHandWorkedCases() {
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 1, 4, 4, 1);
        int[] two = {2, 2};
        assertClose(new double[] {6, 8, 14, 16}, Ops.maxPool2d(x, two, two, "VALID"), DType.FLOAT32,
                new int[] {1, 2, 2, 1}, 0);
        assertClose(new double[] {3.5, 5.5, 11.5, 13.5}, Ops.avgPool2d(x, two, two, "VALID"), DType.FLOAT32,
                new int[] {1, 2, 2, 1}, 0);
        Tensor y = Tensors.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
        // SAME 3x3 stride 1: the corner averages its 4 valid neighbours, not 9 with zero padding
        assertClose(new double[] {3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7}, Ops.avgPool2d(y, new int[] {3, 3},
                new int[] {1, 1}, "SAME"), DType.FLOAT64, new int[] {1, 3, 3, 1}, 1e-15);
        Tensor negative = Tensors.of(new double[] {-5, -4, -3, -2}, 1, 2, 2, 1); // padding (as 0) must never win
        assertClose(new double[] {-2, -2, -2, -2}, Ops.maxPool2d(negative, new int[] {3, 3}, new int[] {1, 1},
                "SAME"), DType.FLOAT64, new int[] {1, 2, 2, 1}, 0);
    }

    @Test
    void poolingMatchesNaiveReference() {
        Random rnd = new Random(7);
        int[][] shapes = {{2, 7, 9, 3}, {1, 6, 6, 5}, {3, 5, 4, 1}};
        int[][][] windows = {{{2, 2}, {2, 2}}, {{3, 3}, {2, 2}}, {{3, 2}, {1, 2}}, {{1, 1}, {3, 3}}};
        for (int[] s : shapes) {
            for (int[][] kw : windows) {
                for (String padding : new String[] {"SAME", "VALID"}) {
                    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                        for (boolean max : new boolean[] {true, false}) {
                            double[] x = rounded(random(rnd, s[0] * s[1] * s[2] * s[3]), dtype);
                            int[] od = new int[2];
                            double[] expected = poolReference(x, s[0], s[1], s[2], s[3], kw[0], kw[1], padding, max,
                                    od);
                            double tol = dtype == DType.FLOAT32 ? 1e-6 : 1e-14;
                            Tensor nhwc = tensor(x, dtype, s);
                            Tensor y = max ? Ops.maxPool2d(nhwc, kw[0], kw[1], padding)
                                    : Ops.avgPool2d(nhwc, kw[0], kw[1], padding);
                            assertClose(expected, y, dtype, new int[] {s[0], od[0], od[1], s[3]}, tol);
                            Tensor nchw = tensor(toNchw(x, s[0], s[1], s[2], s[3]), dtype, s[0], s[3], s[1], s[2]);
                            Tensor z = max ? Ops.maxPool2d(nchw, kw[0], kw[1], padding, "NCHW")
                                    : Ops.avgPool2d(nchw, kw[0], kw[1], padding, "NCHW");
                            assertClose(toNchw(expected, s[0], od[0], od[1], s[3]), z, dtype,
                                    new int[] {s[0], s[3], od[0], od[1]}, tol);
                        }
                    }
                }
            }
        }
    }

    @Test
    void poolingHandlesEmptyBatchAndRejectsBadArguments() {
        Tensor empty = Tensors.of(new float[0], 0, 4, 4, 2);
        assertArrayEquals(new int[] {0, 2, 2, 2}, Ops.maxPool2d(empty, new int[] {2, 2}, new int[] {2, 2}, "VALID")
                .shape().dims());
        assertArrayEquals(new int[] {0, 2, 2, 2}, Ops.avgPool2d(Tensors.of(new double[0], 0, 2, 4, 4),
                new int[] {2, 2}, new int[] {2, 2}, "SAME", "NCHW").shape().dims());
        Tensor x = Tensors.of(new float[16], 1, 4, 4, 1);
        OpException p = assertThrows(OpException.class,
                () -> Ops.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, "EXPLICIT"));
        assertEquals("MaxPool2D: padding must be \"SAME\" or \"VALID\", got \"EXPLICIT\"", p.getMessage());
        OpException k = assertThrows(OpException.class, () -> Ops.avgPool2d(x, new int[] {2}, new int[] {2, 2},
                "VALID"));
        assertTrue(k.getMessage().startsWith("AvgPool2D: ksize must be 2 positive ints"), k.getMessage());
        OpException i = assertThrows(OpException.class, () -> Ops.avgPool2d(Tensors.of(new int[16], 1, 4, 4, 1),
                new int[] {2, 2}, new int[] {2, 2}, "VALID"));
        assertTrue(i.getMessage().contains("bfloat16, float32 or float64"), i.getMessage());
    }
}
