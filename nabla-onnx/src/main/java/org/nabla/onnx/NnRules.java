package org.nabla.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nabla.Conv2dOptions;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradOps;

/** Convolution, pooling, normalization, dropout and softmax. ONNX lays images out NCHW, as these rules keep them. */
final class NnRules {
    private NnRules() {}

    static void register(OnnxOperators r) {
        r.one("Softmax", n -> softmax(n, false));
        r.one("LogSoftmax", n -> softmax(n, true));
        r.one("Hardmax", NnRules::hardmax);
        r.one("Conv", NnRules::conv);
        r.one("ConvTranspose", ConvTranspose::apply);
        r.rule("MaxPool", n -> Pooling.pool(n, true));
        r.rule("AveragePool", n -> Pooling.pool(n, false));
        r.one("GlobalAveragePool", n -> Ops.mean(n.required(0), true, spatialAxes(n.required(0))));
        r.one("GlobalMaxPool", n -> Ops.max(n.required(0), true, spatialAxes(n.required(0))));
        r.rule("BatchNormalization", NnRules::batchNorm);
        r.rule("LayerNormalization", NnRules::layerNorm);
        r.one("InstanceNormalization", NnRules::instanceNorm);
        r.one("LpNormalization", NnRules::lpNorm);
        r.one("MeanVarianceNormalization", NnRules::meanVarianceNorm);
        r.one("GroupNormalization", NnRules::groupNorm);
        r.one("RMSNormalization", NnRules::rmsNorm);
        r.one("LRN", NnRules::lrn);
        r.statefulRule("Dropout", NnRules::dropout); // random in training mode
    }

    /**
     * Softmax over {@code axis} (opset 13+). Before opset 13 the input is seen as a 2-D matrix split at the axis
     * (default 1) and the softmax runs over each row of that matrix.
     */
    private static Tensor softmax(OnnxNode n, boolean log) {
        Tensor x = n.required(0);
        if (n.opset() >= 13) {
            int axis = (int) n.attrInt("axis", -1);
            return log ? Ops.logSoftmax(x, axis) : Ops.softmax(x, axis);
        }
        int axis = (int) n.attrInt("axis", 1);
        if (axis < 0) axis += x.rank();
        int[] d = x.shape().dims();
        int inner = 1;
        for (int i = axis; i < d.length; i++) {
            if (d[i] < 0) throw n.unsupported("softmax before opset 13 over unknown dimension " + i);
            inner *= d[i];
        }
        Tensor rows = Ops.reshape(x, -1, inner);
        Tensor y = log ? Ops.logSoftmax(rows, -1) : Ops.softmax(rows, -1);
        return d.length == 2 ? y : reshapeLike(y, x);
    }

    /**
     * Hardmax: 1 at the first maximum along the axis, 0 elsewhere. Before opset 13 the input is seen as a 2-D matrix
     * split at the axis (default 1), as for Softmax.
     */
    private static Tensor hardmax(OnnxNode n) {
        Tensor x = n.required(0);
        boolean coerced = n.opset() < 13;
        int axis = (int) n.attrInt("axis", coerced ? 1 : -1);
        if (axis < 0) axis += x.rank();
        if (axis < 0 || axis >= Math.max(1, x.rank())) {
            throw n.error("axis " + n.attrInt("axis", 0) + " is out of range for rank " + x.rank());
        }
        Tensor rows = x;
        if (coerced) {
            int inner = 1;
            for (int i = axis; i < x.rank(); i++) inner *= knownDim(n, x, i);
            rows = Ops.reshape(x, -1, inner);
            axis = 1;
        }
        int depth = knownDim(n, rows, axis);
        Tensor y = Ops.oneHot(Ops.argmax(rows, axis), depth, 1, 0, axis, x.dtype());
        return coerced ? reshapeLike(y, x) : y;
    }

    /** Dimension {@code i} of {@code x}, which the rule needs to know at import time. */
    /** {@code y} reshaped to the runtime shape of {@code like} (core's internal ReshapeLike op). */
    static Tensor reshapeLike(Tensor y, Tensor like) { return Ops.run(GradOps.RESHAPE_LIKE, Attrs.EMPTY, y, like); }

    static int knownDim(OnnxNode n, Tensor x, int i) {
        int d = x.shape().dim(i);
        if (d < 0) throw n.unsupported("needs dimension " + i + " of its input to be known when importing (shape "
                + x.shape() + ")");
        return d;
    }

    private static Tensor conv(OnnxNode n) {
        Tensor y = convolve(n, n.required(0), n.required(1));
        if (n.in(2) == null) return y;
        if (y.rank() == 3) return Ops.add(y, Ops.reshape(n.in(2), -1, 1));
        if (y.rank() == 5) return Ops.add(y, Ops.reshape(n.in(2), -1, 1, 1, 1));
        return Ops.biasAdd(y, n.in(2), "NCHW");
    }

    /** Conv's convolution (no bias) with the node's strides, dilations, pads and groups; 1-D or 2-D. */
    static Tensor convolve(OnnxNode n, Tensor x, Tensor w) {
        if (x.rank() == 3) { // 1-D convolution as a 2-D one over a height of 1
            return Ops.squeeze(conv2d(n, Ops.expandDims(x, 2), Ops.expandDims(w, 2), true), 2);
        }
        if (x.rank() == 5) return conv3d(n, x, w);
        if (x.rank() != 4) throw n.unsupported(n.opType() + " with " + (x.rank() - 2) + " spatial dimensions (Nabla "
                + "has 1-D, 2-D and 3-D)");
        return conv2d(n, x, w, false);
    }

    /** 3-D Conv through Ops.conv3d (NDHWC): explicit and SAME_LOWER pads become zero padding before a VALID one. */
    private static Tensor conv3d(OnnxNode n, Tensor x, Tensor w) {
        int[] kernel = {w.shape().dim(2), w.shape().dim(3), w.shape().dim(4)};
        int[] strides = n.attrInts("strides", new int[] {1, 1, 1}), dil = n.attrInts("dilations", new int[] {1, 1, 1});
        String autoPad = n.attrString("auto_pad", "NOTSET");
        int[] pads = switch (autoPad) {
            case "NOTSET" -> n.attrInts("pads", new int[6]);
            case "VALID" -> new int[6];
            case "SAME_UPPER", "SAME_LOWER" -> Pooling.samePads(x.shape().dims(), kernel, strides, dil,
                    autoPad.equals("SAME_UPPER"), n);
            default -> throw n.error("auto_pad '" + autoPad + "' is not an ONNX value");
        };
        if (pads.length != 6) throw n.error("pads " + java.util.Arrays.toString(pads) + " must have 6 values");
        Tensor v = Ops.transpose(x, 0, 2, 3, 4, 1); // NCDHW -> NDHWC
        if (java.util.Arrays.stream(pads).anyMatch(p -> p != 0)) {
            v = Ops.pad(v, new int[][] {{0, 0}, {pads[0], pads[3]}, {pads[1], pads[4]}, {pads[2], pads[5]}, {0, 0}});
        }
        Tensor filter = Ops.transpose(w, 2, 3, 4, 1, 0); // (O, C/g, KD, KH, KW) -> (KD, KH, KW, C/g, O)
        Tensor y = Ops.conv3d(v, filter, strides, "VALID", dil, (int) n.attrInt("group", 1));
        return Ops.transpose(y, 0, 4, 1, 2, 3);   // Conv's bias is added by conv(), as for 1-D and 2-D
    }

    private static Tensor conv2d(OnnxNode n, Tensor x, Tensor w, boolean from1d) {
        int[] kernel = {w.shape().dim(2), w.shape().dim(3)};
        int[] strides = spatial(n.attrInts("strides", null), from1d, 1);
        int[] dil = spatial(n.attrInts("dilations", null), from1d, 1);
        int[] pads = n.attrInts("pads", null);
        if (pads != null && from1d) pads = new int[] {0, pads[0], 0, pads[1]};
        if (pads == null) pads = new int[4];
        String autoPad = n.attrString("auto_pad", "NOTSET");
        Conv2dOptions o = Conv2dOptions.defaults().strides(strides[0], strides[1])
                .dilations(dil[0], dil[1]).groups((int) n.attrInt("group", 1)).dataFormat("NCHW");
        o = switch (autoPad) {
            case "NOTSET" -> o.explicitPaddings(pads[0], pads[2], pads[1], pads[3]);
            case "VALID" -> o.padding("VALID");
            case "SAME_UPPER", "SAME_LOWER" -> {
                int[] p = Pooling.samePads(x.shape().dims(), kernel, strides, dil, autoPad.equals("SAME_UPPER"), n);
                yield o.explicitPaddings(p[0], p[2], p[1], p[3]);
            }
            default -> throw n.error("auto_pad '" + autoPad + "' is not an ONNX value");
        };
        Tensor filter = Ops.transpose(w, 2, 3, 1, 0); // OIHW -> HWIO
        return Ops.conv2d(x, filter, o);
    }

    /** A per-spatial-dim attribute, widened from 1-D to 2-D (height 1) when a 1-D op runs as a 2-D one. */
    private static int[] spatial(int[] v, boolean from1d, int dflt) {
        if (v == null) return new int[] {dflt, dflt};
        return from1d ? new int[] {1, v[0]} : v;
    }

    static int[] spatialAxes(Tensor x) {
        int[] axes = new int[x.rank() - 2];
        for (int i = 0; i < axes.length; i++) axes[i] = i + 2;
        return axes;
    }

    /** Inference form (normalize with the given statistics), or training form (batch statistics, updated means). */
    private static List<Tensor> batchNorm(OnnxNode n) {
        Tensor x = n.required(0), scale = n.required(1), bias = n.required(2), mean = n.required(3),
                var = n.required(4);
        double eps = n.attrFloat("epsilon", 1e-5);
        if (n.attrInt("training_mode", 0) == 0) {
            if (x.rank() == 4) return List.of(Ops.batchNormInference(x, scale, bias, mean, var, eps, "NCHW"));
            Tensor inv = Ops.rsqrt(Ops.add(perChannel(var, x), eps));
            return List.of(Ops.add(Ops.mul(Ops.mul(Ops.sub(x, perChannel(mean, x)), inv), perChannel(scale, x)),
                    perChannel(bias, x)));
        }
        double momentum = n.attrFloat("momentum", 0.9);
        int[] axes = new int[x.rank() - 1];
        axes[0] = 0;
        for (int i = 1; i < axes.length; i++) axes[i] = i + 1;
        Tensor batchMean = Ops.mean(x, false, axes);
        Tensor centered = Ops.sub(x, perChannel(batchMean, x));
        Tensor batchVar = Ops.mean(Ops.square(centered), false, axes);
        Tensor y = Ops.add(Ops.mul(Ops.mul(centered, Ops.rsqrt(Ops.add(perChannel(batchVar, x), eps))),
                perChannel(scale, x)), perChannel(bias, x));
        Tensor runMean = Ops.add(Ops.mul(mean, momentum), Ops.mul(batchMean, 1 - momentum));
        Tensor runVar = Ops.add(Ops.mul(var, momentum), Ops.mul(batchVar, 1 - momentum));
        return List.of(y, runMean, runVar);
    }

    /** A per-channel vector (C) shaped to broadcast over N, C, spatial... */
    private static Tensor perChannel(Tensor v, Tensor like) {
        int[] shape = new int[like.rank()];
        Arrays.fill(shape, 1);
        shape[1] = -1;
        return Ops.reshape(v, shape);
    }

    private static List<Tensor> layerNorm(OnnxNode n) {
        Tensor x = n.required(0);
        int axis = (int) n.attrInt("axis", -1);
        if (axis < 0) axis += x.rank();
        int[] axes = new int[x.rank() - axis];
        for (int i = 0; i < axes.length; i++) axes[i] = axis + i;
        DType stash = n.hasAttr("stash_type") ? OnnxTypes.toDType((int) n.attrInt("stash_type", 1), n.where()) : null;
        Tensor xs = stash != null && stash != x.dtype() ? Ops.cast(x, stash) : x;
        Tensor mean = Ops.mean(xs, true, axes);
        Tensor centered = Ops.sub(xs, mean);
        Tensor var = Ops.mean(Ops.square(centered), true, axes);
        Tensor invStd = Ops.rsqrt(Ops.add(var, n.attrFloat("epsilon", 1e-5)));
        Tensor normalized = Ops.mul(centered, invStd);
        if (normalized.dtype() != x.dtype()) normalized = Ops.cast(normalized, x.dtype());
        Tensor y = Ops.mul(normalized, n.required(1));
        if (n.in(2) != null) y = Ops.add(y, n.in(2));
        List<Tensor> out = new ArrayList<>(List.of(y, mean, invStd));
        return out.subList(0, Math.max(1, n.outputCount()));
    }

    /** (x - mean) / sqrt(var + epsilon) * scale + bias, the statistics over each example's channel (spatial axes). */
    private static Tensor instanceNorm(OnnxNode n) {
        Tensor x = n.required(0);
        if (x.rank() < 3) throw n.error("input must have rank >= 3 (N, C, spatial...), got " + x.shape());
        int[] axes = spatialAxes(x);
        Tensor centered = Ops.sub(x, Ops.mean(x, true, axes));
        Tensor var = Ops.mean(Ops.square(centered), true, axes);
        Tensor y = Ops.mul(centered, Ops.rsqrt(Ops.add(var, n.attrFloat("epsilon", 1e-5))));
        return Ops.add(Ops.mul(y, perChannel(n.required(1), x)), perChannel(n.required(2), x));
    }

    /** x divided by its L1 or L2 norm along the axis. */
    private static Tensor lpNorm(OnnxNode n) {
        Tensor x = n.required(0);
        int axis = (int) n.attrInt("axis", -1);
        long p = n.attrInt("p", 2);
        Tensor norm = switch ((int) p) {
            case 1 -> Ops.sum(Ops.abs(x), true, axis);
            case 2 -> Ops.sqrt(Ops.sum(Ops.square(x), true, axis));
            default -> throw n.error("p must be 1 or 2, got " + p);
        };
        // An all-zero slice stays zero (ONNX's reference), where dividing by its zero norm would give NaN.
        return Ops.div(x, Ops.where(Ops.equal(norm, 0.0), Ops.onesLike(norm), norm));
    }

    /** (x - mean) / (std + 1e-9) over the axes (default N and the spatial axes of NCHW), as ONNX's function body. */
    private static Tensor meanVarianceNorm(OnnxNode n) {
        Tensor x = n.required(0);
        int[] axes = n.attrInts("axes", new int[] {0, 2, 3});
        Tensor centered = Ops.sub(x, Ops.mean(x, true, axes));
        Tensor std = Ops.sqrt(Ops.mean(Ops.square(centered), true, axes));
        return Ops.div(centered, Ops.add(std, 1e-9));
    }

    /**
     * Normalization over groups of channels of each example. Opset 18 scales and shifts per group, opset 21 per
     * channel.
     */
    private static Tensor groupNorm(OnnxNode n) {
        Tensor x = n.required(0);
        int groups = (int) n.attrInt("num_groups", 0);
        int c = knownDim(n, x, 1);
        if (groups < 1 || c % groups != 0) {
            throw n.error("num_groups " + groups + " must be >= 1 and divide the " + c + " channels");
        }
        int length = c / groups;
        for (int i = 2; i < x.rank(); i++) length *= knownDim(n, x, i);
        Tensor g = Ops.reshape(x, -1, groups, length);
        Tensor centered = Ops.sub(g, Ops.mean(g, true, 2));
        Tensor var = Ops.mean(Ops.square(centered), true, 2);
        Tensor y = Ops.mul(centered, Ops.rsqrt(Ops.add(var, n.attrFloat("epsilon", 1e-5))));
        if (n.opset() < 21) {
            y = Ops.add(Ops.mul(y, Ops.reshape(n.required(1), 1, groups, 1)), Ops.reshape(n.required(2), 1, groups, 1));
            return reshapeLike(y, x);
        }
        y = reshapeLike(y, x);
        return Ops.add(Ops.mul(y, perChannel(n.required(1), x)), perChannel(n.required(2), x));
    }

    /** x / sqrt(mean(x^2) + epsilon) * scale, the mean over the axes from {@code axis} on (opset 23). */
    private static Tensor rmsNorm(OnnxNode n) {
        Tensor x = n.required(0);
        int axis = (int) n.attrInt("axis", -1);
        if (axis < 0) axis += x.rank();
        if (axis < 0 || axis >= x.rank()) throw n.error("axis " + n.attrInt("axis", -1) + " is out of range for rank "
                + x.rank());
        int[] axes = new int[x.rank() - axis];
        for (int i = 0; i < axes.length; i++) axes[i] = axis + i;
        Tensor meanSquare = Ops.mean(Ops.square(x), true, axes);
        return Ops.mul(Ops.mul(x, Ops.rsqrt(Ops.add(meanSquare, n.attrFloat("epsilon", 1e-5)))), n.required(1));
    }

    /**
     * Local response normalization across channels: x / (bias + alpha / size * sum of x^2 over the size channels
     * around each one)^beta; the window sum adds shifted slices of the zero-padded squares.
     */
    private static Tensor lrn(OnnxNode n) {
        Tensor x = n.required(0);
        int size = (int) n.attrInt("size", 0);
        if (size < 1) throw n.error("needs a size >= 1, got " + size);
        if (x.rank() < 3) throw n.error("input must have rank >= 3 (N, C, spatial...), got " + x.shape());
        int c = knownDim(n, x, 1);
        int[][] pads = new int[x.rank()][2];
        pads[1] = new int[] {(size - 1) / 2, size / 2};
        Tensor padded = Ops.pad(Ops.square(x), pads, "CONSTANT", 0);
        int[] begin = new int[x.rank()], extent = new int[x.rank()];
        Arrays.fill(extent, -1);
        extent[1] = c;
        Tensor sum = null;
        for (int t = 0; t < size; t++) {
            begin[1] = t;
            Tensor part = Ops.slice(padded, begin.clone(), extent);
            sum = sum == null ? part : Ops.add(sum, part);
        }
        double alpha = n.attrFloat("alpha", 1e-4), beta = n.attrFloat("beta", 0.75), bias = n.attrFloat("bias", 1);
        return Ops.div(x, Ops.pow(Ops.add(Ops.mul(sum, alpha / size), bias), beta));
    }

    /** Dropout at inference: the identity, and an all-true mask when asked for. */
    private static List<Tensor> dropout(OnnxNode n) {
        Tensor x = n.required(0);
        Tensor training = n.in(2);
        if (training != null && n.constant(2).booleanValue()) return trainingDropout(n, x);
        List<Tensor> out = new ArrayList<>(List.of(Ops.identity(x)));
        if (n.outputCount() > 1) out.add(Ops.cast(Ops.onesLike(x), DType.BOOL));
        return out;
    }

    /**
     * Dropout in training mode: each element kept with probability 1 - ratio (a uniform sample at or above the ratio)
     * and scaled by 1 / (1 - ratio); the mask says which were kept. A ratio of 0 keeps everything.
     */
    private static List<Tensor> trainingDropout(OnnxNode n, Tensor x) {
        double ratio = n.in(1) == null ? 0.5 : n.constant(1).doubleValue();
        if (!(ratio >= 0 && ratio < 1)) throw n.error("ratio must be in [0, 1), got " + ratio);
        int[] dims = new int[x.rank()];
        for (int i = 0; i < dims.length; i++) dims[i] = knownDim(n, x, i);
        long seed = n.hasAttr("seed") ? (long) n.attrInt("seed", 0) : java.util.concurrent.ThreadLocalRandom.current()
                .nextLong();
        Tensor keep = ratio == 0 ? Ops.cast(Ops.onesLike(x), DType.BOOL)
                : Ops.greaterEqual(Ops.randomUniform(dims, DType.FLOAT64, 0, 1, seed), ratio);
        Tensor y = ratio == 0 ? Ops.identity(x)
                : Ops.where(keep, Ops.mul(x, 1 / (1 - ratio)), Ops.zerosLike(x));
        return n.outputCount() > 1 ? List.of(y, keep) : List.of(y);
    }
}
