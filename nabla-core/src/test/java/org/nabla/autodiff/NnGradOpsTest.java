package org.nabla.autodiff;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;
import static org.nabla.autodiff.GradSupport.reluGrad;
import static org.nabla.ops.NnGradOps.AVG_POOL2D_GRAD;
import static org.nabla.ops.NnGradOps.MAX_POOL2D_GRAD;
import static org.nabla.ops.NnGradOps.MAX_POOL2D_GRAD_GRAD;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Conv2dOptions;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;

/**
 * The backward nn ops (org.nabla.ops.NnGradOps) against direct float64 loops over every output position and window
 * element: convolution backprops (strides, SAME/EXPLICIT padding, dilation, groups, NCHW, float32 and float64, a
 * size that needs several Gemm tiles per image) and pooling gradients.
 */
class NnGradOpsTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(99);

    private static Tensor random(DType dtype, int... shape) {
        double[] v = new double[Shape.of(shape).intSize()];
        for (int i = 0; i < v.length; i++) v[i] = RANDOM.nextDouble(-1, 1);
        return Ops.cast(Tensor.wrap(DType.FLOAT64, Shape.of(shape), v), dtype);
    }

    /** NHWC reference: returns {dx, dfilter} of sum(grad * conv2d(x, f)). */
    private static double[][] convBackpropReference(Tensor x, Tensor f, Tensor g, int sh, int sw, int padTop,
                                                    int padLeft, int dh, int dw, int groups) {
        int n = x.shape().dim(0), h = x.shape().dim(1), w = x.shape().dim(2), c = x.shape().dim(3);
        int kh = f.shape().dim(0), kw = f.shape().dim(1), cg = f.shape().dim(2), oc = f.shape().dim(3);
        int oh = g.shape().dim(1), ow = g.shape().dim(2), ocg = oc / groups;
        double[] xv = x.toDoubleArray(), fv = f.toDoubleArray(), gv = g.toDoubleArray();
        double[] dx = new double[xv.length], df = new double[fv.length];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int o = 0; o < oc; o++) {
                        double go = gv[((b * oh + i) * ow + j) * oc + o];
                        int grp = o / ocg;
                        for (int p = 0; p < kh; p++) {
                            for (int q = 0; q < kw; q++) {
                                int ih = i * sh - padTop + p * dh, iw = j * sw - padLeft + q * dw;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                for (int ci = 0; ci < cg; ci++) {
                                    int xi = ((b * h + ih) * w + iw) * c + grp * cg + ci;
                                    int fi = ((p * kw + q) * cg + ci) * oc + o;
                                    dx[xi] += go * fv[fi];
                                    df[fi] += go * xv[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dx, df};
    }

    private static void checkConv(DType dtype, int[] xs, int[] fs, Conv2dOptions o, int padTop, int padLeft,
                                  double tol) {
        Tensor x = random(dtype, xs), f = random(dtype, fs);
        Tensor y = Ops.conv2d(x, f, o);
        Tensor g = random(dtype, y.shape().dims());
        Tensor dx = Ops.conv2dBackpropInput(x, f, g, o);
        Tensor df = Ops.conv2dBackpropFilter(x, f, g, o);
        double[][] ref = convBackpropReference(x, f, g, o.strides()[0], o.strides()[1], padTop, padLeft,
                o.dilations()[0], o.dilations()[1], o.groups());
        assertClose(ref[0], dx, dtype, xs, tol);
        assertClose(ref[1], df, dtype, fs, tol);
    }

    @Test
    void convBackpropsMatchDirectLoops() {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = d == DType.FLOAT32 ? 1e-4 : 1e-12;
            Conv2dOptions base = Conv2dOptions.defaults();
            checkConv(d, new int[] {2, 5, 6, 3}, new int[] {3, 2, 3, 4}, base, 0, 0, tol);
            // SAME with stride 2 on 5x5 and a 3x3 window: output 3x3, total padding 2 -> 1 before
            checkConv(d, new int[] {1, 5, 5, 2}, new int[] {3, 3, 2, 3}, base.strides(2, 2).padding("SAME"), 1, 1, tol);
            checkConv(d, new int[] {2, 6, 5, 4}, new int[] {2, 2, 2, 6}, base.dilations(2, 1).groups(2), 0, 0, tol);
            checkConv(d, new int[] {1, 4, 4, 2}, new int[] {2, 3, 2, 2}, base.explicitPaddings(1, 0, 2, 1), 1, 2, tol);
            checkConv(d, new int[] {1, 1, 1, 3}, new int[] {1, 1, 3, 2}, base, 0, 0, tol); // pointwise
            // asymmetric SAME padding of even kernels, and padding wider than kernel - 1
            checkConv(d, new int[] {2, 5, 6, 2}, new int[] {2, 4, 2, 3}, base.padding("SAME"), 0, 1, tol);
            checkConv(d, new int[] {1, 3, 3, 2}, new int[] {2, 2, 2, 2}, base.explicitPaddings(3, 0, 0, 2), 3, 0, tol);
            // depthwise (groups = channels; DepthwiseConv): multiplier 1 over a vector width and a tail, multiplier 2
            // with stride 2 and SAME, dilation with explicit padding
            checkConv(d, new int[] {2, 5, 6, 19}, new int[] {3, 3, 1, 19}, base.padding("SAME").groups(19), 1, 1, tol);
            checkConv(d, new int[] {2, 7, 6, 3}, new int[] {3, 2, 1, 6}, base.strides(2, 2).padding("SAME").groups(3),
                    1, 0, tol);
            checkConv(d, new int[] {1, 6, 7, 4}, new int[] {2, 3, 1, 4},
                    base.dilations(2, 2).explicitPaddings(1, 2, 0, 1).groups(4), 1, 0, tol);
        }
        // the reference cnn's second convolution (13x13x32 -> 11x11x64, VALID): its input gradient is a full
        // convolution of dy with the flipped filter in the tuned forward kernel; SAME and explicit pads below kernel
        checkConv(DType.FLOAT32, new int[] {3, 13, 13, 32}, new int[] {3, 3, 32, 64}, Conv2dOptions.defaults(), 0, 0,
                1e-3);
        checkConv(DType.FLOAT32, new int[] {2, 9, 7, 5}, new int[] {3, 2, 5, 7}, Conv2dOptions.defaults()
                .padding("SAME"), 1, 0, 1e-4);
        checkConv(DType.FLOAT32, new int[] {2, 6, 8, 3}, new int[] {3, 3, 3, 4}, Conv2dOptions.defaults()
                .explicitPaddings(2, 0, 1, 2), 2, 1, 1e-4);
        // 144 output pixels x K = 576 per image: several Gemm tiles per image.
        checkConv(DType.FLOAT32, new int[] {1, 12, 12, 64}, new int[] {3, 3, 64, 2},
                Conv2dOptions.defaults().padding("SAME"), 1, 1, 1e-3);
    }

    @Test
    void convBackpropsInNchwEqualNhwcTransposed() {
        Tensor x = random(DType.FLOAT64, 2, 3, 5, 4), f = random(DType.FLOAT64, 3, 2, 3, 2);
        Conv2dOptions nchw = Conv2dOptions.defaults().strides(2, 1).padding("SAME").dataFormat("NCHW");
        Conv2dOptions nhwc = nchw.dataFormat("NHWC");
        Tensor g = random(DType.FLOAT64, Ops.conv2d(x, f, nchw).shape().dims());
        Tensor xt = Ops.transpose(x, 0, 2, 3, 1), gt = Ops.transpose(g, 0, 2, 3, 1);
        assertClose(Ops.transpose(Ops.conv2dBackpropInput(xt, f, gt, nhwc), 0, 3, 1, 2).toDoubleArray(),
                Ops.conv2dBackpropInput(x, f, g, nchw), DType.FLOAT64, new int[] {2, 3, 5, 4}, 1e-12);
        assertClose(Ops.conv2dBackpropFilter(xt, f, gt, nhwc).toDoubleArray(),
                Ops.conv2dBackpropFilter(x, f, g, nchw), DType.FLOAT64, new int[] {3, 2, 3, 2}, 1e-12);
    }

    @Test
    void poolingGradientsMatchDirectLoops() {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = random(d, 2, 5, 5, 3);
            int[] k = {3, 3}, s = {2, 2};
            Tensor g = random(d, Ops.maxPool2d(x, k, s, "SAME").shape().dims()); // 3x3 output, pad 1 before
            double[] xv = x.toDoubleArray(), gv = g.toDoubleArray();
            double[] maxRef = new double[xv.length], avgRef = new double[xv.length];
            Tensor gg = random(d, 2, 5, 5, 3);
            double[] ggv = gg.toDoubleArray(), gradGradRef = new double[gv.length];
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        for (int c = 0; c < 3; c++) {
                            int best = -1, count = 0;
                            for (int p = 0; p < 3; p++) {
                                for (int q = 0; q < 3; q++) {
                                    int ih = 2 * i - 1 + p, iw = 2 * j - 1 + q;
                                    if (ih < 0 || ih >= 5 || iw < 0 || iw >= 5) continue;
                                    int xi = ((b * 5 + ih) * 5 + iw) * 3 + c;
                                    if (best < 0 || xv[xi] > xv[best]) best = xi;
                                    count++;
                                }
                            }
                            double go = gv[((b * 3 + i) * 3 + j) * 3 + c];
                            maxRef[best] += go;
                            gradGradRef[((b * 3 + i) * 3 + j) * 3 + c] = ggv[best];
                            for (int p = 0; p < 3; p++) {
                                for (int q = 0; q < 3; q++) {
                                    int ih = 2 * i - 1 + p, iw = 2 * j - 1 + q;
                                    if (ih >= 0 && ih < 5 && iw >= 0 && iw < 5) {
                                        avgRef[((b * 5 + ih) * 5 + iw) * 3 + c] += go / count;
                                    }
                                }
                            }
                        }
                    }
                }
            }
            double tol = d == DType.FLOAT32 ? 1e-6 : 1e-14;
            assertClose(maxRef, pool2dGrad(MAX_POOL2D_GRAD, x, g, k, s, "SAME", "NHWC"), d, new int[] {2, 5, 5, 3},
                    tol);
            assertClose(avgRef, pool2dGrad(AVG_POOL2D_GRAD, g, x, k, s, "SAME", "NHWC"), d, new int[] {2, 5, 5, 3},
                    tol);
            assertClose(gradGradRef, pool2dGrad(MAX_POOL2D_GRAD_GRAD, x, gg, k, s, "SAME", "NHWC"), d,
                    new int[] {2, 3, 3, 3}, tol);
            Tensor xc = Ops.transpose(x, 0, 3, 1, 2), gc = Ops.transpose(g, 0, 3, 1, 2);
            assertClose(Ops.transpose(Tensor.wrap(DType.FLOAT64, Shape.of(2, 5, 5, 3), maxRef), 0, 3, 1, 2)
                    .toDoubleArray(), pool2dGrad(MAX_POOL2D_GRAD, xc, gc, k, s, "SAME", "NCHW"), d,
                    new int[] {2, 3, 5, 5}, tol);
        }
    }

    @Test
    void reluGradPassesTheGradientWhereTheOutputIsPositive() {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor g = Ops.cast(Tensors.of(new double[][] {{1, 2, 3}, {4, 5, 6}}), d);
            Tensor y = Ops.cast(Tensors.of(new double[][] {{0, 0.5, 0}, {2, 0, 1e-30}}), d);
            assertClose(new double[] {0, 2, 0, 4, 0, 6}, reluGrad(g, y), d,
                    new int[] {2, 3}, 0);
        }
        OpException e = assertThrows(OpException.class, () -> reluGrad(random(DType.FLOAT32, 2),
                random(DType.FLOAT32, 3)));
        assertTrue(e.getMessage().contains("ReluGrad") && e.getMessage().contains("same shape"), e.getMessage());
    }

    @Test
    void shapeErrorsNameTheShapes() {
        Tensor x = random(DType.FLOAT32, 1, 4, 4, 2), f = random(DType.FLOAT32, 2, 2, 2, 3);
        OpException e = assertThrows(OpException.class, () -> Ops.conv2dBackpropInput(x, f,
                random(DType.FLOAT32, 1, 4, 4, 3), Conv2dOptions.defaults()));
        assertTrue(e.getMessage().contains("Conv2DBackpropInput") && e.getMessage().contains("grad has shape "
                + "(1, 4, 4, 3)") && e.getMessage().contains("(1, 3, 3, 3)"), e.getMessage());
        e = assertThrows(OpException.class, () -> pool2dGrad(MAX_POOL2D_GRAD, x, random(DType.FLOAT32, 1, 1, 1, 2),
                new int[] {2, 2}, new int[] {2, 2}, "VALID", "NHWC"));
        assertTrue(e.getMessage().contains("MaxPool2DGrad") && e.getMessage().contains("(1, 2, 2, 2)"),
                e.getMessage());
        e = assertThrows(OpException.class, () -> pool2dGrad(AVG_POOL2D_GRAD, random(DType.FLOAT64, 1, 2, 2, 2), x,
                new int[] {2, 2}, new int[] {2, 2}, "VALID", "NHWC"));
        assertTrue(e.getMessage().contains("AvgPool2DGrad") && e.getMessage().contains("float64"), e.getMessage());
    }

    /** Runs a 2-D pooling gradient op (internal, so not on Ops) with the forward op's attributes. */
    private static Tensor pool2dGrad(OpDef op, Tensor first, Tensor second, int[] ksize, int[] strides,
                                     String padding, String dataFormat) {
        return Ops.run(op, Attrs.of("ksize", ksize, "strides", strides, "padding", padding, "dataFormat",
                dataFormat), first, second);
    }
}
