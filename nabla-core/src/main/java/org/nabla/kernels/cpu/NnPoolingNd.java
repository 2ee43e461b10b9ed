package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.ops.Attrs;
import org.nabla.ops.PoolWindow;

/**
 * MaxPool, AvgPool and AvgPoolGrad: ONNX-style pooling of channels-first data with 1 to 3 spatial dims. Missing
 * leading spatial axes count as size 1, so one triple loop serves every rank; each axis's window bounds (first
 * position, first and end valid tap, tap count with padding) are tabulated once per call. The forward ops run one
 * output row per task; the gradient runs one plane (image, channel) per task so tasks never add into the same
 * element. Max pooling compares float32 as is and the other dtypes as float64 (exact for int32 and uint8), then
 * picks its outputs from the input, so they keep their dtype bit for bit; averages are summed in float64.
 */
final class NnPoolingNd {
    private NnPoolingNd() {}

    /** One spatial axis's tables, indexed by output position. */
    private record Table(int in, int out, int dil, int[] start, int[] t0, int[] t1, int[] padded) {
        static Table of(PoolWindow.Axis a) {
            int n = a.out();
            int[] start = new int[n], t0 = new int[n], t1 = new int[n], padded = new int[n];
            for (int o = 0; o < n; o++) {
                start[o] = a.start(o);
                t0[o] = a.firstTap(o);
                t1[o] = a.endTap(o);
                padded[o] = a.paddedTaps(o);
            }
            return new Table(a.in(), n, a.dilation(), start, t0, t1, padded);
        }

        static final Table UNIT = new Table(1, 1, 1, new int[] {0}, new int[] {0}, new int[] {1}, new int[] {1});

        int validTaps(int o) { return t1[o] - t0[o]; }
    }

    /** The three axis tables (depth, height, width), the number of planes and the elements per plane. */
    private record Geometry(Table d, Table h, Table w, int planes, int inPlane, int outPlane) {
        static Geometry of(String op, Shape input, Attrs a) {
            PoolWindow pw = PoolWindow.of(op, input, a);
            Table[] t = {Table.UNIT, Table.UNIT, Table.UNIT};
            for (int i = 0; i < pw.rank(); i++) t[3 - pw.rank() + i] = Table.of(pw.axis(i));
            int planes = input.dim(0) * input.dim(1);
            return new Geometry(t[0], t[1], t[2], planes, t[0].in * t[1].in * t[2].in,
                    t[0].out * t[1].out * t[2].out);
        }

        int rows() { return planes * d.out * h.out; }

        /** Rows per task: about {@link CpuNnKernels#GRAIN} window taps each. */
        int grain() {
            long taps = (long) w.out * Math.max(1, maxTaps(d)) * Math.max(1, maxTaps(h)) * Math.max(1, maxTaps(w));
            return (int) Math.max(1, CpuNnKernels.GRAIN / Math.max(1, taps));
        }

        private static int maxTaps(Table t) {
            int m = 0;
            for (int o = 0; o < t.out; o++) m = Math.max(m, t.padded[o]);
            return m;
        }
    }

    /** MaxPool: {values (input dtype), int64 indices}. */
    static Tensor[] maxPool(Tensor input, Attrs a, Shape outShape) {
        Geometry g = Geometry.of("MaxPool", input.shape(), a);
        int[] arg = new int[g.planes * g.outPlane];
        Table td = g.d, th = g.h, tw = g.w;
        int hw = th.in * tw.in;
        // float32 is scanned as is (no float64 copy); the integer dtypes through exact float64 values
        float[] xf = input.data() instanceof float[] f ? f : null;
        double[] xd = xf == null ? input.toDoubleArray() : null;
        Parallel.forRange(g.rows(), g.grain(), (from, to) -> {
            for (int r = from; r < to; r++) {
                if (xf != null) argmaxRow(xf, g, r, arg);
                else argmaxRow(xd, g, r, arg);
            }
        });
        long[] indices = new long[arg.length];
        boolean columnMajor = a.getInt("storageOrder") == 1;
        for (int k = 0; k < arg.length; k++) {
            if (!columnMajor) {
                indices[k] = arg[k];
                continue;
            }
            int p = k / g.outPlane, local = arg[k] - p * g.inPlane;
            int iw = local % tw.in, ih = (local / tw.in) % th.in, id = local / hw;
            indices[k] = (long) p * g.inPlane + id + (long) ih * td.in + (long) iw * td.in * th.in;
        }
        return new Tensor[] {Tensor.wrap(input.dtype(), outShape, Gathering.take(input.data(), arg)),
                Tensor.wrap(DType.INT64, outShape, indices)};
    }

    /** The flat input positions of the maxima of output row {@code r} (one image, channel, depth and height). */
    private static void argmaxRow(float[] x, Geometry g, int r, int[] arg) {
        Table td = g.d, th = g.h, tw = g.w;
        int rowsPerPlane = td.out * th.out, hw = th.in * tw.in;
        int p = r / rowsPerPlane, rem = r % rowsPerPlane, od = rem / th.out, oh = rem % th.out;
        int base = p * g.inPlane, o = r * tw.out;
        for (int ow = 0; ow < tw.out; ow++) {
            float m = Float.NEGATIVE_INFINITY; // pass 1: the maximum, branch-free (Math.max propagates NaN)
            for (int kd = td.t0[od]; kd < td.t1[od]; kd++) {
                int id = td.start[od] + kd * td.dil;
                for (int kh = th.t0[oh]; kh < th.t1[oh]; kh++) {
                    int row = base + id * hw + (th.start[oh] + kh * th.dil) * tw.in + tw.start[ow];
                    for (int kw = tw.t0[ow]; kw < tw.t1[ow]; kw++) m = Math.max(m, x[row + kw * tw.dil]);
                }
            }
            boolean nan = m != m;
            int best = -1;
            window: // pass 2: its first position
            for (int kd = td.t0[od]; kd < td.t1[od]; kd++) {
                int id = td.start[od] + kd * td.dil;
                for (int kh = th.t0[oh]; kh < th.t1[oh]; kh++) {
                    int row = base + id * hw + (th.start[oh] + kh * th.dil) * tw.in + tw.start[ow];
                    for (int kw = tw.t0[ow]; kw < tw.t1[ow]; kw++) {
                        float v = x[row + kw * tw.dil];
                        if (v == m || nan && v != v) {
                            best = row + kw * tw.dil;
                            break window;
                        }
                    }
                }
            }
            arg[o + ow] = best;
        }
    }

    /** The float64 twin of {@link #argmaxRow(float[], Geometry, int, int[])}. */
    private static void argmaxRow(double[] x, Geometry g, int r, int[] arg) {
        Table td = g.d, th = g.h, tw = g.w;
        int rowsPerPlane = td.out * th.out, hw = th.in * tw.in;
        int p = r / rowsPerPlane, rem = r % rowsPerPlane, od = rem / th.out, oh = rem % th.out;
        int base = p * g.inPlane, o = r * tw.out;
        for (int ow = 0; ow < tw.out; ow++) {
            double m = Double.NEGATIVE_INFINITY; // pass 1: the maximum, branch-free (Math.max propagates NaN)
            for (int kd = td.t0[od]; kd < td.t1[od]; kd++) {
                int id = td.start[od] + kd * td.dil;
                for (int kh = th.t0[oh]; kh < th.t1[oh]; kh++) {
                    int row = base + id * hw + (th.start[oh] + kh * th.dil) * tw.in + tw.start[ow];
                    for (int kw = tw.t0[ow]; kw < tw.t1[ow]; kw++) m = Math.max(m, x[row + kw * tw.dil]);
                }
            }
            boolean nan = m != m;
            int best = -1;
            window: // pass 2: its first position
            for (int kd = td.t0[od]; kd < td.t1[od]; kd++) {
                int id = td.start[od] + kd * td.dil;
                for (int kh = th.t0[oh]; kh < th.t1[oh]; kh++) {
                    int row = base + id * hw + (th.start[oh] + kh * th.dil) * tw.in + tw.start[ow];
                    for (int kw = tw.t0[ow]; kw < tw.t1[ow]; kw++) {
                        double v = x[row + kw * tw.dil];
                        if (v == m || nan && v != v) {
                            best = row + kw * tw.dil;
                            break window;
                        }
                    }
                }
            }
            arg[o + ow] = best;
        }
    }

    /** The divisor of window (od, oh, ow): its input elements, or with countIncludePad also its explicit padding. */
    private static int count(Geometry g, boolean includePad, int od, int oh, int ow) {
        return includePad ? g.d.padded[od] * g.h.padded[oh] * g.w.padded[ow]
                : g.d.validTaps(od) * g.h.validTaps(oh) * g.w.validTaps(ow);
    }

    /** AvgPool. */
    static Tensor avgPool(Tensor input, Attrs a, Shape outShape) {
        Geometry g = Geometry.of("AvgPool", input.shape(), a);
        boolean includePad = a.getBool("countIncludePad");
        double[] x = input.toDoubleArray();
        double[] y = new double[g.planes * g.outPlane];
        Table td = g.d, th = g.h, tw = g.w;
        int rowsPerPlane = td.out * th.out, hw = th.in * tw.in;
        Parallel.forRange(g.rows(), g.grain(), (from, to) -> {
            for (int r = from; r < to; r++) {
                int p = r / rowsPerPlane, rem = r % rowsPerPlane, od = rem / th.out, oh = rem % th.out;
                int base = p * g.inPlane, o = r * tw.out;
                for (int ow = 0; ow < tw.out; ow++) {
                    double sum = 0;
                    for (int kd = td.t0[od]; kd < td.t1[od]; kd++) {
                        int id = td.start[od] + kd * td.dil;
                        for (int kh = th.t0[oh]; kh < th.t1[oh]; kh++) {
                            int row = base + id * hw + (th.start[oh] + kh * th.dil) * tw.in + tw.start[ow];
                            for (int kw = tw.t0[ow]; kw < tw.t1[ow]; kw++) sum += x[row + kw * tw.dil];
                        }
                    }
                    y[o + ow] = sum / count(g, includePad, od, oh, ow);
                }
            }
        });
        return typed(y, outShape, input.dtype());
    }

    /** AvgPoolGrad: each output gradient divided by its window's count and added to the window's input elements. */
    static Tensor avgPoolGrad(Tensor grad, Shape inputShape, Attrs a) {
        Geometry g = Geometry.of("AvgPool", inputShape, a);
        boolean includePad = a.getBool("countIncludePad");
        double[] gy = grad.toDoubleArray();
        double[] dx = new double[g.planes * g.inPlane];
        Table td = g.d, th = g.h, tw = g.w;
        int hw = th.in * tw.in;
        int grain = Math.max(1, g.grain() / Math.max(1, td.out * th.out));
        Parallel.forRange(g.planes, grain, (from, to) -> {
            for (int p = from; p < to; p++) {
                int base = p * g.inPlane;
                for (int od = 0, o = p * g.outPlane; od < td.out; od++) {
                    for (int oh = 0; oh < th.out; oh++) {
                        for (int ow = 0; ow < tw.out; ow++, o++) {
                            double v = gy[o] / count(g, includePad, od, oh, ow);
                            for (int kd = td.t0[od]; kd < td.t1[od]; kd++) {
                                int id = td.start[od] + kd * td.dil;
                                for (int kh = th.t0[oh]; kh < th.t1[oh]; kh++) {
                                    int row = base + id * hw + (th.start[oh] + kh * th.dil) * tw.in + tw.start[ow];
                                    for (int kw = tw.t0[ow]; kw < tw.t1[ow]; kw++) dx[row + kw * tw.dil] += v;
                                }
                            }
                        }
                    }
                }
            }
        });
        return typed(dx, inputShape, grad.dtype());
    }

    private static Tensor typed(double[] v, Shape shape, DType dtype) {
        if (dtype == DType.FLOAT64) return Tensor.wrap(DType.FLOAT64, shape, v);
        float[] f = new float[v.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
        return Tensor.wrap(DType.FLOAT32, shape, f);
    }
}
