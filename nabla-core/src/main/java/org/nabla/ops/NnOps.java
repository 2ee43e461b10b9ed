package org.nabla.ops;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Shape;

/**
 * Neural-network ops: activations, softmax, bias add, convolution, pooling, batch norm, dropout, losses.
 * All take float32 or float64 (sparse labels are int32/int64). Spatial ops follow TensorFlow: data format NHWC
 * (default) or NCHW, filters in HWIO layout, padding SAME/VALID (and EXPLICIT for Conv2D) with TF's output sizes.
 * MaxPool and AvgPool follow ONNX instead: channels first, 1 to 3 spatial dims, explicit pads, dilations, ceilMode.
 */
public final class NnOps {
    private NnOps() {}

    /** TensorFlow's SELU constants (Klambauer et al.). */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    // ---------------------------------------------------------------- activations

    public static final OpDef RELU = activation("Relu", "max(x, 0)");
    public static final OpDef RELU6 = activation("Relu6", "min(max(x, 0), 6)");
    public static final OpDef LEAKY_RELU = OpDef.builder("LeakyRelu").inputs("x")
            .attr("alpha", AttrType.FLOAT, 0.2)
            .shape((in, a) -> floatUnary("LeakyRelu", in))
            .summary("x if x > 0 else alpha * x").build();
    public static final OpDef ELU = OpDef.builder("Elu").inputs("x")
            .attr("alpha", AttrType.FLOAT, 1.0)
            .shape((in, a) -> floatUnary("Elu", in))
            .summary("x if x > 0 else alpha * (exp(x) - 1)").build();
    public static final OpDef SELU = activation("Selu", "scale * (x if x > 0 else alpha * (exp(x) - 1)), TF constants");
    public static final OpDef GELU = OpDef.builder("Gelu").inputs("x")
            .attr("approximate", AttrType.BOOL, false)
            .shape((in, a) -> floatUnary("Gelu", in))
            .summary("x * Phi(x): exact erf form, or the tanh approximation when approximate=true").build();
    public static final OpDef SIGMOID = activation("Sigmoid", "1 / (1 + exp(-x)), stable for large |x|");
    public static final OpDef SOFTPLUS = activation("Softplus", "log(1 + exp(x)), computed stably");

    // ---------------------------------------------------------------- softmax

    public static final OpDef SOFTMAX = OpDef.builder("Softmax").inputs("logits")
            .attr("axis", AttrType.INT, -1)
            .shape((in, a) -> softmaxShape("Softmax", in, a))
            .summary("exp(x - max) / sum(exp(x - max)) along axis").build();
    public static final OpDef LOG_SOFTMAX = OpDef.builder("LogSoftmax").inputs("logits")
            .attr("axis", AttrType.INT, -1)
            .shape((in, a) -> softmaxShape("LogSoftmax", in, a))
            .summary("x - max - log(sum(exp(x - max))) along axis").build();

    // ---------------------------------------------------------------- bias, convolution, pooling, normalization

    public static final OpDef BIAS_ADD = OpDef.builder("BiasAdd").inputs("value", "bias")
            .attr("dataFormat", AttrType.STRING, "NHWC")
            .shape(NnOps::biasAddShape)
            .summary("value + bias along the channel axis (last for NHWC, 1 for NCHW)").build();

    public static final OpDef CONV2D = convAttrs(OpDef.builder("Conv2D").inputs("input", "filter"))
            .shape(NnOps::conv2dShape)
            .summary("2-D convolution (cross-correlation) of NHWC/NCHW input with an HWIO filter").build();

    public static final OpDef MAX_POOL2D = PoolWindow.attrs2d(OpDef.builder("MaxPool2D").inputs("input"))
            .shape((in, a) -> poolShape("MaxPool2D", in, a))
            .summary("maximum over each ksize window (padding never wins)").build();

    public static final OpDef AVG_POOL2D = PoolWindow.attrs2d(OpDef.builder("AvgPool2D").inputs("input"))
            .shape((in, a) -> poolShape("AvgPool2D", in, a))
            .summary("mean over each ksize window, counting only non-padded elements").build();

    /**
     * Outputs: the maxima and their int64 positions, flattened over the whole input as ONNX's MaxPool defines them
     * (row-major over N, C, spatial; with storageOrder 1 the spatial part is column-major). Geometry:
     * {@link PoolWindow#of}.
     */
    public static final OpDef MAX_POOL = PoolWindow.attrsNd(OpDef.builder("MaxPool").inputs("input"))
            .attr("storageOrder", AttrType.INT, 0)
            .shape((in, a) -> {
                Infer.requireDType("MaxPool", "input", in[0], DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16,
                        DType.INT32, DType.UINT8);
                int order = a.getInt("storageOrder");
                if (order != 0 && order != 1) {
                    throw new OpException("MaxPool", "storageOrder must be 0 (row-major) or 1 (column-major), got "
                            + order);
                }
                Shape y = PoolWindow.of("MaxPool", in[0].shape(), a).outputShape(in[0].shape());
                return new TensorSpec[] {TensorSpec.of(in[0].dtype(), y), TensorSpec.of(DType.INT64, y)};
            })
            .summary("maximum over each window of channels-first input with 1-3 spatial dims, and its position "
                    + "(ONNX MaxPool: pads, dilations, ceilMode; padding never wins, NaN does)").build();

    public static final OpDef AVG_POOL = avgPoolAttrs(OpDef.builder("AvgPool").inputs("input"))
            .shape((in, a) -> {
                Infer.requireFloating("AvgPool", "input", in[0]);
                return Infer.one(in[0].dtype(), PoolWindow.of("AvgPool", in[0].shape(), a).outputShape(in[0].shape()));
            })
            .summary("mean over each window of channels-first input with 1-3 spatial dims (ONNX AveragePool): "
                    + "divides by the window's input elements, or with countIncludePad also its explicit padding")
            .build();

    public static final OpDef BATCH_NORM_INFERENCE = OpDef.builder("BatchNormInference")
            .inputs("x", "scale", "offset", "mean", "variance")
            .attr("epsilon", AttrType.FLOAT, 0.001)
            .attr("dataFormat", AttrType.STRING, "NHWC")
            .shape(NnOps::batchNormShape)
            .summary("scale * (x - mean) / sqrt(variance + epsilon) + offset per channel").build();

    /** Outputs: the result and the mask it was multiplied by (0 or 1/(1-rate)), for the gradient. */
    public static final OpDef DROPOUT = OpDef.builder("Dropout").inputs("x")
            .attr("rate", AttrType.FLOAT)
            .attr("seed", AttrType.LONG, 0L)
            .shape(NnOps::dropoutShape)
            .stateful()
            .summary("zeroes each element with probability rate and scales the rest by 1/(1-rate); seeded").build();

    // ---------------------------------------------------------------- losses

    /** Outputs: per-example loss [N] and backprop = softmax(logits) - labels [N, C]. */
    public static final OpDef SOFTMAX_CROSS_ENTROPY = OpDef.builder("SoftmaxCrossEntropyWithLogits")
            .inputs("logits", "labels")
            .shape(NnOps::softmaxCrossEntropyShape)
            .summary("-sum(labels * log_softmax(logits)) per row").build();

    /** Outputs: per-example loss [N] and backprop = softmax(logits) - onehot(labels) [N, C]. */
    public static final OpDef SPARSE_SOFTMAX_CROSS_ENTROPY = OpDef.builder("SparseSoftmaxCrossEntropyWithLogits")
            .inputs("logits", "labels")
            .shape(NnOps::sparseSoftmaxCrossEntropyShape)
            .summary("-log_softmax(logits)[label] per row; labels are class indices").build();

    public static final OpDef MEAN_SQUARED_ERROR = OpDef.builder("MeanSquaredError").inputs("predictions", "labels")
            .shape(NnOps::meanSquaredErrorShape)
            .summary("mean((predictions - labels)^2) over the last axis (Keras semantics: one value per example)")
            .build();

    // ---------------------------------------------------------------- window geometry (shared with the kernels)

    /**
     * The geometry of Conv2D's sliding window over one spatial plane: sizes, strides, dilations, output size and the
     * padding before the first row/column (padding after is implied). Used by the shape function and the kernels
     * alike, so they cannot disagree. (Pooling has its own, N-d geometry: {@link PoolWindow}.)
     */
    public record Window2D(int inH, int inW, int kH, int kW, int strideH, int strideW, int dilH, int dilW,
                           int outH, int outW, int padTop, int padLeft) {}

    /** Resolves padding for one axis: returns {out, padBefore}; unknown input (-1) gives unknown output. */
    static int[] windowAxis(String op, String axis, int in, int k, int stride, int dil, String padding,
                            int explicitBefore, int explicitAfter) {
        if (in == Shape.UNKNOWN || k == Shape.UNKNOWN) return new int[] {Shape.UNKNOWN, 0};
        long effective = (long) (k - 1) * dil + 1;
        switch (padding) {
            case "SAME" -> {
                int out = (int) ((in + (long) stride - 1) / stride);
                long total = Math.max((long) (out - 1) * stride + effective - in, 0);
                return new int[] {out, (int) (total / 2)};
            }
            case "VALID" -> {
                if (in < effective) {
                    throw new OpException(op, "VALID padding: input " + axis + " " + in
                            + " is smaller than the effective window " + effective + " (size " + k + ", dilation "
                            + dil + "), so the output would be empty");
                }
                return new int[] {(int) ((in - effective) / stride + 1), 0};
            }
            default -> { // EXPLICIT
                long span = in + (long) explicitBefore + explicitAfter - effective;
                if (span < 0) {
                    throw new OpException(op, "EXPLICIT padding: input " + axis + " " + in + " padded by "
                            + explicitBefore + "+" + explicitAfter + " is smaller than the effective window "
                            + effective);
                }
                return new int[] {(int) (span / stride + 1), explicitBefore};
            }
        }
    }

    /** The window geometry of a Conv2D call (kernels call this with the resolved attrs). */
    public static Window2D conv2dWindow(Shape input, Shape filter, Attrs a) {
        String op = "Conv2D";
        boolean nchw = dataFormat(op, a).equals("NCHW");
        int inH = input.dim(nchw ? 2 : 1), inW = input.dim(nchw ? 3 : 2), kH = filter.dim(0), kW = filter.dim(1);
        int[] s = pair(op, "strides", a);
        int[] d = pair(op, "dilations", a);
        if ((kH != Shape.UNKNOWN && kH < 1) || (kW != Shape.UNKNOWN && kW < 1)) {
            throw new OpException(op, "window height and width must be >= 1, got " + kH + "x" + kW);
        }
        String padding = a.getString("padding");
        if (!padding.equals("SAME") && !padding.equals("VALID") && !padding.equals("EXPLICIT")) {
            throw new OpException(op, "padding must be \"SAME\", \"VALID\" or \"EXPLICIT\", got \"" + padding + "\"");
        }
        int[] ep = new int[4];
        if (padding.equals("EXPLICIT")) {
            ep = a.getInts("explicitPaddings");
            if (ep.length != 4 || Arrays.stream(ep).anyMatch(v -> v < 0)) {
                throw new OpException(op, "explicitPaddings must be 4 non-negative ints (top, bottom, left, right), "
                        + "got " + Arrays.toString(ep));
            }
        }
        int[] h = windowAxis(op, "height", inH, kH, s[0], d[0], padding, ep[0], ep[1]);
        int[] w = windowAxis(op, "width", inW, kW, s[1], d[1], padding, ep[2], ep[3]);
        return new Window2D(inH, inW, kH, kW, s[0], s[1], d[0], d[1], h[0], w[0], h[1], w[1]);
    }

    /** A 2-int attribute (height, width) of positive ints, else an error. */
    static int[] pair(String op, String name, Attrs a) {
        int[] v = a.getInts(name);
        if (v.length != 2 || v[0] < 1 || v[1] < 1) {
            throw new OpException(op, name + " must be 2 positive ints (height, width), got " + Arrays.toString(v));
        }
        return v;
    }

    /** "NHWC" or "NCHW", else an error. */
    public static String dataFormat(String op, Attrs a) {
        String f = a.getString("dataFormat");
        if (f.equals("NHWC") || f.equals("NCHW")) return f;
        throw new OpException(op, "dataFormat must be \"NHWC\" or \"NCHW\", got \"" + f + "\"");
    }

    // ---------------------------------------------------------------- shape functions

    private static OpDef activation(String name, String summary) {
        return OpDef.builder(name).inputs("x").shape((in, a) -> floatUnary(name, in)).summary(summary).build();
    }

    private static TensorSpec[] floatUnary(String op, TensorSpec[] in) {
        Infer.requireFloating(op, "x", in[0]);
        return new TensorSpec[] {in[0]};
    }

    private static TensorSpec[] softmaxShape(String op, TensorSpec[] in, Attrs a) {
        Infer.requireFloating(op, "logits", in[0]);
        if (in[0].shape().rank() == 0) {
            throw new OpException(op, "logits must have rank >= 1, got a scalar " + in[0]);
        }
        try {
            Shape.normalizeAxis(a.getInt("axis"), in[0].shape().rank(), op);
        } catch (IllegalArgumentException e) {
            throw new OpException(op, "axis " + a.getInt("axis") + " is out of range for logits " + in[0]);
        }
        return new TensorSpec[] {in[0]};
    }

    private static int channelAxis(String op, Attrs a, int rank) {
        return dataFormat(op, a).equals("NCHW") && rank > 2 ? 1 : rank - 1;
    }

    private static boolean dimsConflict(int x, int y) { return x != Shape.UNKNOWN && y != Shape.UNKNOWN && x != y; }

    private static TensorSpec[] biasAddShape(TensorSpec[] in, Attrs a) {
        String op = "BiasAdd";
        Infer.requireFloating(op, "value", in[0]);
        Infer.sameDType(op, in[0], in[1]);
        Shape v = in[0].shape();
        if (v.rank() < 2) throw new OpException(op, "value must have rank >= 2, got " + in[0]);
        Infer.requireRank(op, "bias", in[1], 1);
        int axis = channelAxis(op, a, v.rank());
        if (dimsConflict(v.dim(axis), in[1].shape().dim(0))) {
            throw new OpException(op, "bias " + in[1].shape() + " must match the channel dimension " + v.dim(axis)
                    + " (axis " + axis + ", " + dataFormat(op, a) + ") of value " + v);
        }
        return new TensorSpec[] {in[0]};
    }

    static TensorSpec[] conv2dShape(TensorSpec[] in, Attrs a) {
        String op = "Conv2D";
        Infer.requireFloating(op, "input", in[0]);
        Infer.sameDType(op, in[0], in[1]);
        Infer.requireRank(op, "input", in[0], 4);
        Infer.requireRank(op, "filter", in[1], 4);
        boolean nchw = dataFormat(op, a).equals("NCHW");
        Shape x = in[0].shape(), f = in[1].shape();
        int groups = a.getInt("groups");
        if (groups < 1) throw new OpException(op, "groups must be >= 1, got " + groups);
        int c = x.dim(nchw ? 1 : 3), fc = f.dim(2), oc = f.dim(3);
        if (c != Shape.UNKNOWN && c % groups != 0) {
            throw new OpException(op, "input channels " + c + " of input " + x + " are not divisible by groups "
                    + groups);
        }
        if (oc != Shape.UNKNOWN && oc % groups != 0) {
            throw new OpException(op, "output channels " + oc + " of filter " + f + " are not divisible by groups "
                    + groups);
        }
        if (c != Shape.UNKNOWN && fc != Shape.UNKNOWN && (long) fc * groups != c) {
            throw new OpException(op, "input " + x + " (" + dataFormat(op, a) + ") has " + c + " channels but filter "
                    + f + " expects " + fc + (groups == 1 ? "" : " per group x " + groups + " groups = "
                    + (long) fc * groups) + " (filter layout [height, width, in/groups, out])");
        }
        Window2D w = conv2dWindow(x, f, a);
        int n = x.dim(0);
        Shape out = nchw ? Shape.of(n, oc, w.outH(), w.outW()) : Shape.of(n, w.outH(), w.outW(), oc);
        return Infer.one(in[0].dtype(), out);
    }

    private static TensorSpec[] poolShape(String op, TensorSpec[] in, Attrs a) {
        Infer.requireFloating(op, "input", in[0]);
        Infer.requireRank(op, "input", in[0], 4);
        return Infer.one(in[0].dtype(), PoolWindow.of(op, in[0].shape(), a).outputShape(in[0].shape()));
    }

    /** Conv2D's attributes and defaults, declared once: its backprop ops (NnGradOps) take the same ones. */
    static OpDef.Builder convAttrs(OpDef.Builder b) {
        return b.attr("strides", AttrType.INTS, new int[] {1, 1})
                .attr("padding", AttrType.STRING, "VALID")
                .attr("explicitPaddings", AttrType.INTS, new int[] {0, 0, 0, 0})
                .attr("dilations", AttrType.INTS, new int[] {1, 1})
                .attr("groups", AttrType.INT, 1)
                .attr("dataFormat", AttrType.STRING, "NHWC");
    }

    /** AvgPool's attributes, declared once: AvgPoolGrad (NnGradOps) takes the same ones. */
    static OpDef.Builder avgPoolAttrs(OpDef.Builder b) {
        return PoolWindow.attrsNd(b).attr("countIncludePad", AttrType.BOOL, false);
    }

    private static TensorSpec[] batchNormShape(TensorSpec[] in, Attrs a) {
        String op = "BatchNormInference";
        Infer.requireFloating(op, "x", in[0]);
        Shape x = in[0].shape();
        if (x.rank() < 2) throw new OpException(op, "x must have rank >= 2 ([N, C] or [N, H, W, C]), got " + in[0]);
        int axis = channelAxis(op, a, x.rank());
        String[] names = {"x", "scale", "offset", "mean", "variance"};
        for (int i = 1; i < 5; i++) {
            Infer.sameDType(op, in[0], in[i]);
            Infer.requireRank(op, names[i], in[i], 1);
            if (dimsConflict(x.dim(axis), in[i].shape().dim(0))) {
                throw new OpException(op, names[i] + " " + in[i].shape() + " must match the channel dimension "
                        + x.dim(axis) + " (axis " + axis + ") of x " + x);
            }
        }
        if (a.getDouble("epsilon") < 0) throw new OpException(op, "epsilon must be >= 0, got " + a.getDouble("epsilon"));
        return new TensorSpec[] {in[0]};
    }

    private static TensorSpec[] dropoutShape(TensorSpec[] in, Attrs a) {
        Infer.requireFloating("Dropout", "x", in[0]);
        double rate = a.getDouble("rate");
        if (!(rate >= 0 && rate < 1)) {
            throw new OpException("Dropout", "rate must be in [0, 1), got " + rate);
        }
        return new TensorSpec[] {in[0], in[0]};
    }

    private static TensorSpec[] softmaxCrossEntropyShape(TensorSpec[] in, Attrs a) {
        String op = "SoftmaxCrossEntropyWithLogits";
        Infer.requireFloating(op, "logits", in[0]);
        Infer.sameDType(op, in[0], in[1]);
        Infer.requireRank(op, "logits", in[0], 2);
        if (!in[0].shape().isCompatibleWith(in[1].shape())) {
            throw new OpException(op, "labels " + in[1].shape() + " must have the shape of logits " + in[0].shape()
                    + " ([batch, classes])");
        }
        return new TensorSpec[] {TensorSpec.of(in[0].dtype(), Shape.of(in[0].shape().dim(0))), in[0]};
    }

    private static TensorSpec[] sparseSoftmaxCrossEntropyShape(TensorSpec[] in, Attrs a) {
        String op = "SparseSoftmaxCrossEntropyWithLogits";
        Infer.requireFloating(op, "logits", in[0]);
        Infer.requireRank(op, "logits", in[0], 2);
        Infer.requireDType(op, "labels", in[1], DType.INT32, DType.INT64);
        Infer.requireRank(op, "labels", in[1], 1);
        if (dimsConflict(in[0].shape().dim(0), in[1].shape().dim(0))) {
            throw new OpException(op, "labels " + in[1].shape() + " must have one entry per row of logits "
                    + in[0].shape());
        }
        return new TensorSpec[] {TensorSpec.of(in[0].dtype(), Shape.of(in[0].shape().dim(0))), in[0]};
    }

    private static TensorSpec[] meanSquaredErrorShape(TensorSpec[] in, Attrs a) {
        String op = "MeanSquaredError";
        Infer.requireFloating(op, "predictions", in[0]);
        Infer.sameDType(op, in[0], in[1]);
        Shape p = in[0].shape();
        if (p.rank() == 0) throw new OpException(op, "predictions must have rank >= 1, got a scalar " + in[0]);
        if (!p.isCompatibleWith(in[1].shape())) {
            throw new OpException(op, "labels " + in[1].shape() + " must have the shape of predictions " + p);
        }
        int[] dims = Arrays.copyOf(p.dims(), p.rank() - 1);
        return Infer.one(in[0].dtype(), Shape.of(dims));
    }
}
