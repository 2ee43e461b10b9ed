package org.nabla;

import org.nabla.eager.ExecutionContext;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.Attrs;
import org.nabla.ops.MathOps;
import org.nabla.ops.NnOps;
import org.nabla.ops.OpDef;

/**
 * The front door to every op: {@code Ops.add(a, b)}, {@code Ops.matmul(a, b)}... Each method builds the op's
 * attributes and hands the call to the current {@link ExecutionContext}: eagerly it computes at once, inside a graph
 * it adds a node. Operands typed {@code Object} accept tensors, Java numbers and nested Java arrays; a Java value
 * next to a tensor takes that tensor's dtype.
 */
public final class Ops {
    private Ops() {}

    // ---------------------------------------------------------------- dispatch

    /** Runs a single-output op in the current context. */
    public static Tensor run(OpDef op, Attrs attrs, Tensor... inputs) {
        return ExecutionContext.current().execute(op, attrs, inputs)[0];
    }

    /** Runs a multi-output op in the current context. */
    public static Tensor[] runMulti(OpDef op, Attrs attrs, Tensor... inputs) {
        return ExecutionContext.current().execute(op, attrs, inputs);
    }

    /** Converts both operands of a binary op; a Java value takes the dtype of the tensor beside it. */
    static Tensor[] operands(Object x, Object y) {
        if (x instanceof Tensor a && y instanceof Tensor b) return new Tensor[] {a, b};
        if (x instanceof Tensor a) return new Tensor[] {a, Tensors.convert(y, a.dtype())};
        if (y instanceof Tensor b) return new Tensor[] {Tensors.convert(x, b.dtype()), b};
        return new Tensor[] {Tensors.convert(x), Tensors.convert(y)};
    }

    // ---------------------------------------------------------------- creation

    /** A constant tensor from a Java value (see {@link Tensors#convert(Object)}). */
    public static Tensor constant(Object value) { return Tensors.convert(value); }

    /** TensorFlow's convert_to_tensor: tensors pass through, Java values are converted. */
    public static Tensor convertToTensor(Object value) { return Tensors.convert(value); }

    /** Like {@link #convertToTensor(Object)}, converting Java values to {@code dtype}. */
    public static Tensor convertToTensor(Object value, DType dtype) { return Tensors.convert(value, dtype); }

    // ---------------------------------------------------------------- math

    public static Tensor add(Object x, Object y) {
        Tensor[] o = operands(x, y);
        return run(MathOps.ADD, Attrs.EMPTY, o[0], o[1]);
    }

    // ---------------------------------------------------------------- linalg

    // ---------------------------------------------------------------- reduction

    // ---------------------------------------------------------------- array

    public static Tensor reshape(Tensor x, int... shape) {
        return run(ArrayOps.RESHAPE, Attrs.of("shape", shape), x);
    }

    /** Permutes axes; with no {@code perm}, reverses them (matrix transpose for rank 2). */
    public static Tensor transpose(Tensor x, int... perm) {
        if (perm.length == 0 && x.rank() > 0) {
            perm = new int[x.rank()];
            for (int i = 0; i < perm.length; i++) perm[i] = perm.length - 1 - i;
        }
        return run(ArrayOps.TRANSPOSE, Attrs.of("perm", perm), x);
    }

    // ---------------------------------------------------------------- nn

    public static Tensor relu(Tensor x) { return run(NnOps.RELU, Attrs.EMPTY, x); }

    public static Tensor relu6(Tensor x) { return run(NnOps.RELU6, Attrs.EMPTY, x); }

    /** x if x > 0 else 0.2 * x (TensorFlow's default alpha). */
    public static Tensor leakyRelu(Tensor x) { return run(NnOps.LEAKY_RELU, Attrs.EMPTY, x); }

    public static Tensor leakyRelu(Tensor x, double alpha) { return run(NnOps.LEAKY_RELU, Attrs.of("alpha", alpha), x); }

    public static Tensor elu(Tensor x) { return run(NnOps.ELU, Attrs.EMPTY, x); }

    public static Tensor elu(Tensor x, double alpha) { return run(NnOps.ELU, Attrs.of("alpha", alpha), x); }

    public static Tensor selu(Tensor x) { return run(NnOps.SELU, Attrs.EMPTY, x); }

    /** The exact GELU, x * Phi(x) with the normal CDF computed through erf. */
    public static Tensor gelu(Tensor x) { return run(NnOps.GELU, Attrs.EMPTY, x); }

    /** GELU; {@code approximate} selects the tanh form. */
    public static Tensor gelu(Tensor x, boolean approximate) {
        return run(NnOps.GELU, Attrs.of("approximate", approximate), x);
    }

    public static Tensor sigmoid(Tensor x) { return run(NnOps.SIGMOID, Attrs.EMPTY, x); }

    public static Tensor softplus(Tensor x) { return run(NnOps.SOFTPLUS, Attrs.EMPTY, x); }

    /** Softmax over the last axis. */
    public static Tensor softmax(Tensor logits) { return softmax(logits, -1); }

    public static Tensor softmax(Tensor logits, int axis) { return run(NnOps.SOFTMAX, Attrs.of("axis", axis), logits); }

    public static Tensor logSoftmax(Tensor logits) { return logSoftmax(logits, -1); }

    public static Tensor logSoftmax(Tensor logits, int axis) {
        return run(NnOps.LOG_SOFTMAX, Attrs.of("axis", axis), logits);
    }

    /** Adds a 1-D bias along the last axis (NHWC). */
    public static Tensor biasAdd(Tensor value, Tensor bias) { return biasAdd(value, bias, "NHWC"); }

    /** Adds a 1-D bias along the channel axis: last for "NHWC", axis 1 for "NCHW". */
    public static Tensor biasAdd(Tensor value, Tensor bias, String dataFormat) {
        return run(NnOps.BIAS_ADD, Attrs.of("dataFormat", dataFormat), value, bias);
    }

    /**
     * The optional settings of {@link #conv2d(Tensor, Tensor, Conv2dOptions)}; start from {@link #defaults()} and
     * change what differs: {@code Conv2dOptions.defaults().strides(2, 2).padding("SAME").groups(2)}.
     *
     * @param explicitPaddings top, bottom, left, right; used with padding "EXPLICIT"
     */
    public record Conv2dOptions(int[] strides, String padding, int[] explicitPaddings, int[] dilations, int groups,
                                String dataFormat) {
        /** Stride 1, VALID padding, no dilation, one group, NHWC. */
        public static Conv2dOptions defaults() {
            return new Conv2dOptions(new int[] {1, 1}, "VALID", new int[] {0, 0, 0, 0}, new int[] {1, 1}, 1, "NHWC");
        }

        public Conv2dOptions strides(int h, int w) {
            return new Conv2dOptions(new int[] {h, w}, padding, explicitPaddings, dilations, groups, dataFormat);
        }

        public Conv2dOptions padding(String p) {
            return new Conv2dOptions(strides, p, explicitPaddings, dilations, groups, dataFormat);
        }

        /** EXPLICIT padding of the given amounts. */
        public Conv2dOptions explicitPaddings(int top, int bottom, int left, int right) {
            return new Conv2dOptions(strides, "EXPLICIT", new int[] {top, bottom, left, right}, dilations, groups,
                    dataFormat);
        }

        public Conv2dOptions dilations(int h, int w) {
            return new Conv2dOptions(strides, padding, explicitPaddings, new int[] {h, w}, groups, dataFormat);
        }

        public Conv2dOptions groups(int g) {
            return new Conv2dOptions(strides, padding, explicitPaddings, dilations, g, dataFormat);
        }

        public Conv2dOptions dataFormat(String f) {
            return new Conv2dOptions(strides, padding, explicitPaddings, dilations, groups, f);
        }

        Attrs attrs() {
            return Attrs.of("strides", strides, "padding", padding, "explicitPaddings", explicitPaddings,
                    "dilations", dilations, "groups", groups, "dataFormat", dataFormat);
        }
    }

    /** NHWC convolution with an HWIO filter, {@code strides} {height, width}, padding "SAME" or "VALID". */
    public static Tensor conv2d(Tensor input, Tensor filter, int[] strides, String padding) {
        return conv2d(input, filter, Conv2dOptions.defaults().strides(pair(strides, "strides")[0], strides[1])
                .padding(padding));
    }

    /** NHWC convolution with the same stride along height and width. */
    public static Tensor conv2d(Tensor input, Tensor filter, int stride, String padding) {
        return conv2d(input, filter, Conv2dOptions.defaults().strides(stride, stride).padding(padding));
    }

    public static Tensor conv2d(Tensor input, Tensor filter, Conv2dOptions options) {
        return run(NnOps.CONV2D, options.attrs(), input, filter);
    }

    private static int[] pair(int[] v, String name) {
        if (v.length != 2) {
            throw new IllegalArgumentException(name + " must have 2 entries (height, width), got "
                    + java.util.Arrays.toString(v));
        }
        return v;
    }

    /** NHWC max pooling; {@code ksize} and {@code strides} are {height, width}, padding "SAME" or "VALID". */
    public static Tensor maxPool2d(Tensor input, int[] ksize, int[] strides, String padding) {
        return maxPool2d(input, ksize, strides, padding, "NHWC");
    }

    public static Tensor maxPool2d(Tensor input, int[] ksize, int[] strides, String padding, String dataFormat) {
        return run(NnOps.MAX_POOL2D, Attrs.of("ksize", ksize, "strides", strides, "padding", padding,
                "dataFormat", dataFormat), input);
    }

    /** NHWC average pooling; with "SAME" each window averages only its non-padded elements. */
    public static Tensor avgPool2d(Tensor input, int[] ksize, int[] strides, String padding) {
        return avgPool2d(input, ksize, strides, padding, "NHWC");
    }

    public static Tensor avgPool2d(Tensor input, int[] ksize, int[] strides, String padding, String dataFormat) {
        return run(NnOps.AVG_POOL2D, Attrs.of("ksize", ksize, "strides", strides, "padding", padding,
                "dataFormat", dataFormat), input);
    }

    /** Inference batch norm with channels last and epsilon 0.001. */
    public static Tensor batchNormInference(Tensor x, Tensor scale, Tensor offset, Tensor mean, Tensor variance) {
        return batchNormInference(x, scale, offset, mean, variance, 0.001, "NHWC");
    }

    public static Tensor batchNormInference(Tensor x, Tensor scale, Tensor offset, Tensor mean, Tensor variance,
                                            double epsilon, String dataFormat) {
        return run(NnOps.BATCH_NORM_INFERENCE, Attrs.of("epsilon", epsilon, "dataFormat", dataFormat), x, scale,
                offset, mean, variance);
    }

    /** Inverted dropout with a fresh random seed. */
    public static Tensor dropout(Tensor x, double rate) {
        return dropout(x, rate, java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    /** Inverted dropout; the same seed gives the same mask. */
    public static Tensor dropout(Tensor x, double rate, long seed) {
        return run(NnOps.DROPOUT, Attrs.of("rate", rate, "seed", seed), x);
    }

    /** Per-example softmax cross-entropy [N] of logits [N, C] against label distributions [N, C]. */
    public static Tensor softmaxCrossEntropyWithLogits(Tensor logits, Tensor labels) {
        return run(NnOps.SOFTMAX_CROSS_ENTROPY, Attrs.EMPTY, logits, labels);
    }

    /** Per-example softmax cross-entropy [N] of logits [N, C] against class indices [N] (int32 or int64). */
    public static Tensor sparseSoftmaxCrossEntropyWithLogits(Tensor logits, Tensor labels) {
        return run(NnOps.SPARSE_SOFTMAX_CROSS_ENTROPY, Attrs.EMPTY, logits, labels);
    }

    /** Keras' mean_squared_error: the mean of squared differences over the last axis, one value per example. */
    public static Tensor meanSquaredError(Tensor predictions, Tensor labels) {
        return run(NnOps.MEAN_SQUARED_ERROR, Attrs.EMPTY, predictions, labels);
    }

    // ---------------------------------------------------------------- random/creation
}
