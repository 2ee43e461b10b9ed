package org.nabla.onnx;

import static org.nabla.onnx.ExportOperators.elementwise;
import static org.nabla.onnx.OnnxGraphWriter.attr;
import static org.nabla.onnx.OnnxGraphWriter.in;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.graph.Node;
import org.nabla.onnx.proto.AttributeProto;
import org.nabla.ops.NnOps;

/**
 * Export rules for activations, softmax, bias, convolution, pooling, batch norm and dropout. Nabla's spatial ops
 * default to NHWC with HWIO filters while ONNX's are NCHW with OIHW filters: an NHWC op reads the NCHW form of its
 * input (one Transpose, unless a spatial op before computed it) and leaves its result in NCHW; bias, batch norm and
 * elementwise ops keep working in NCHW, and the NHWC value is written only where something else needs it (see
 * {@link OnnxGraphWriter}). A constant filter is transposed to OIHW here, once.
 */
final class NnExports {
    static final int[] TO_NCHW = {0, 3, 1, 2};
    static final int[] TO_NHWC = {0, 2, 3, 1};
    private static final int[] HWIO_TO_OIHW = {3, 2, 0, 1};

    private NnExports() {}

    static void register(ExportOperators r) {
        r.same("Relu", "Relu");
        r.same("Sigmoid", "Sigmoid");
        r.same("Softplus", "Softplus");
        r.same("Selu", "Selu", attr("alpha", NnOps.SELU_ALPHA), attr("gamma", NnOps.SELU_SCALE));
        r.rule("Relu6", (n, w) -> {
            DType d = n.outputSpec(0).dtype();
            w.result(n, "Clip", in(w.input(n, 0), w.scalar(n, "min", d, 0), w.scalar(n, "max", d, 6)));
        });
        r.rule("LeakyRelu", (n, w) -> elementwise(n, w, "LeakyRelu", attr("alpha", n.attrs().getDouble("alpha"))));
        r.rule("Elu", (n, w) -> elementwise(n, w, "Elu", attr("alpha", n.attrs().getDouble("alpha"))));
        r.rule("Gelu", NnExports::gelu);
        r.rule("Softmax", (n, w) -> w.result(n, "Softmax", in(w.input(n, 0)), attr("axis", n.attrs().getInt("axis"))));
        r.rule("LogSoftmax", (n, w) -> w.result(n, "LogSoftmax", in(w.input(n, 0)),
                attr("axis", n.attrs().getInt("axis"))));
        r.rule("BiasAdd", (n, w) -> {
            if (n.attrs().getString("dataFormat").equals("NHWC") && w.hasNchw(n, 0)) {
                w.resultNchw(n, 0, "Add", in(w.inputNchw(n, 0), channelVector(n, w, 1, 4)));
            } else {
                boolean nchw = n.attrs().getString("dataFormat").equals("NCHW");
                w.result(n, "Add", in(w.input(n, 0), nchw ? channelVector(n, w, 1, rank(n)) : w.input(n, 1)));
            }
        });
        r.rule("BiasRelu", (n, w) -> { // bias along the last axis
            if (w.hasNchw(n, 0)) {
                String sum = w.temp(n, "Add", in(w.inputNchw(n, 0), channelVector(n, w, 1, 4)));
                w.resultNchw(n, 0, "Relu", in(sum));
            } else {
                w.result(n, "Relu", in(w.temp(n, "Add", in(w.input(n, 0), w.input(n, 1)))));
            }
        });
        // nabla-nn's fused layer normalization: ONNX's own (opset 17); its mean and rstd outputs do not export
        r.rule("LayerNorm", (n, w) -> w.result(n, "LayerNormalization",
                in(w.input(n, 0), w.input(n, 1), w.input(n, 2)), attr("axis", -1L),
                attr("epsilon", n.attrs().getDouble("epsilon"))));
        r.rule("Conv2D", NnExports::conv2d);
        r.rule("Conv2DBackpropInput", NnExports::convTranspose);
        r.rule("MaxPool2D", (n, w) -> pool(n, w, "MaxPool"));
        r.rule("AvgPool2D", (n, w) -> pool(n, w, "AveragePool"));
        r.rule("MaxPoolWithArgmax", (n, w) -> pool(n, w, "MaxPool")); // the values; the argmax output does not export
        r.rule("MaxPool", (n, w) -> poolNd(n, w, "MaxPool")); // channels-first N-d: the values (indices do not export)
        r.rule("AvgPool", (n, w) -> poolNd(n, w, "AveragePool"));
        r.rule("BatchNormInference", NnExports::batchNorm);
        // Dropout at inference, as ONNX runs models: the identity (its mask output does not export)
        r.same("Dropout", "Identity");
    }

    /** The exact form 0.5 x (1 + erf(x / sqrt 2)), or the tanh approximation; ONNX's Gelu only arrives in opset 20. */
    private static void gelu(Node n, OnnxGraphWriter w) {
        DType d = n.outputSpec(0).dtype();
        String x = w.input(n, 0);
        String inner;
        if (n.attrs().getBool("approximate")) {
            String cube = w.temp(n, "Mul", in(w.temp(n, "Mul", in(x, x)), x));
            String sum = w.temp(n, "Add", in(x, w.temp(n, "Mul", in(cube, w.scalar(n, "c", d, 0.044715)))));
            inner = w.temp(n, "Tanh", in(w.temp(n, "Mul", in(sum, w.scalar(n, "sqrt_2_over_pi", d,
                    Math.sqrt(2 / Math.PI))))));
        } else {
            inner = w.temp(n, "Erf", in(w.temp(n, "Div", in(x, w.scalar(n, "sqrt2", d, Math.sqrt(2))))));
        }
        String onePlus = w.temp(n, "Add", in(inner, w.scalar(n, "one", d, 1)));
        w.result(n, "Mul", in(w.temp(n, "Mul", in(x, w.scalar(n, "half", d, 0.5))), onePlus));
    }

    private static int rank(Node n) { return n.inputs().get(0).spec().shape().rank(); }

    /**
     * Input {@code i} of {@code n}, a per-channel vector [C], shaped to broadcast along axis 1 of a value of rank
     * {@code rank} > 2, i.e. [C, 1, ..., 1]: a reshaped initializer when it is constant, else a Reshape. For rank <= 2
     * the channel is the last axis and the vector is returned as it is.
     */
    private static String channelVector(Node n, OnnxGraphWriter w, int i, int rank) {
        Tensor known = w.constantInput(n, i);
        if (rank <= 2) return w.input(n, i);
        if (known == null) return channelVector(n, w, w.input(n, i), rank);
        int[] dims = new int[rank - 1];
        java.util.Arrays.fill(dims, 1);
        dims[0] = (int) known.size();
        return w.initializer(known, OnnxGraphWriter.constantName(n.inputs().get(i)) + "/c11", dims);
    }

    /** A computed per-channel vector shaped [C, 1, ..., 1] by a Reshape (rank > 2). */
    private static String channelVector(Node n, OnnxGraphWriter w, String v, int rank) {
        if (rank <= 2) return v;
        long[] shape = new long[rank - 1];
        java.util.Arrays.fill(shape, 1);
        shape[0] = -1;
        return w.temp(n, "Reshape", in(v, w.int64s(n, "channel_shape", shape)));
    }

    private static void conv2d(Node n, OnnxGraphWriter w) {
        var a = n.attrs();
        boolean nhwc = !a.getString("dataFormat").equals("NCHW");
        Shape xs = n.inputs().get(0).spec().shape(), fs = n.inputs().get(1).spec().shape();
        String x = nhwc ? w.inputNchw(n, 0) : w.input(n, 0);
        String f = oihwFilter(n, w);
        List<AttributeProto> attrs = new ArrayList<>();
        attrs.add(attr("kernel_shape", fs.dim(0), fs.dim(1)));
        attrs.add(attr("strides", a.getInts("strides")));
        attrs.add(attr("dilations", a.getInts("dilations")));
        attrs.add(attr("group", a.getInt("groups")));
        attrs.add(padding(n, xs, nhwc, fs.dim(0), fs.dim(1), a.getInts("dilations")));
        writeSpatial(n, w, "Conv", in(x, f), attrs, nhwc);
    }

    /**
     * Conv2D's gradient with respect to its input (what an imported ConvTranspose becomes) as ONNX ConvTranspose of
     * the gradient, with the forward convolution's pads; output_padding makes up the rows and columns a strided
     * forward convolution skipped, so the result has the input's size (which must be known).
     */
    private static void convTranspose(Node n, OnnxGraphWriter w) {
        var a = n.attrs();
        boolean nhwc = !a.getString("dataFormat").equals("NCHW");
        Shape xs = n.inputs().get(0).spec().shape(), fs = n.inputs().get(1).spec().shape();
        Shape gs = n.inputs().get(2).spec().shape();
        int[] strides = a.getInts("strides"), dil = a.getInts("dilations");
        AttributeProto pads = padding(n, xs, nhwc, fs.dim(0), fs.dim(1), dil);
        if (pads.getIntsCount() != 4) throw ArrayExports.unsupported(n, "SAME padding over unknown spatial sizes");
        int[] outPad = new int[2];
        for (int i = 0; i < 2; i++) {
            int size = xs.dim(nhwc ? 1 + i : 2 + i), in = gs.dim(nhwc ? 1 + i : 2 + i);
            if (size < 0 || in < 0) throw ArrayExports.unsupported(n, "spatial sizes unknown at export " + xs);
            int reach = strides[i] * (in - 1) + (fs.dim(i) - 1) * dil[i] + 1
                    - (int) pads.getInts(i) - (int) pads.getInts(i + 2);
            outPad[i] = size - reach;
            if (outPad[i] < 0) throw ArrayExports.unsupported(n, "an input size " + xs + " below what its gradient "
                    + gs + " covers");
        }
        String g = nhwc ? w.inputNchw(n, 2) : w.input(n, 2);
        // ConvTranspose wants (forward out, forward in / groups, kh, kw): the same permutation as Conv's OIHW.
        String f = oihwFilter(n, w);
        List<AttributeProto> attrs = new ArrayList<>();
        attrs.add(attr("kernel_shape", fs.dim(0), fs.dim(1)));
        attrs.add(attr("strides", strides));
        attrs.add(attr("dilations", dil));
        attrs.add(attr("group", a.getInt("groups")));
        attrs.add(pads);
        attrs.add(attr("output_padding", outPad[0], outPad[1]));
        writeSpatial(n, w, "ConvTranspose", in(g, f), attrs, nhwc);
    }

    /** Input 1, an HWIO filter, as OIHW: a transposed initializer when constant, else a Transpose node. */
    private static String oihwFilter(Node n, OnnxGraphWriter w) {
        Tensor filter = w.constantInput(n, 1);
        if (filter == null) return w.temp(n, "Transpose", in(w.input(n, 1)), attr("perm", HWIO_TO_OIHW));
        return w.initializer(permuted(filter, HWIO_TO_OIHW), OnnxGraphWriter.constantName(n.inputs().get(1))
                + "/oihw");
    }

    private static void pool(Node n, OnnxGraphWriter w, String onnxOp) {
        var a = n.attrs();
        boolean nhwc = !a.getString("dataFormat").equals("NCHW");
        Shape xs = n.inputs().get(0).spec().shape();
        int[] k = a.getInts("ksize");
        String x = nhwc ? w.inputNchw(n, 0) : w.input(n, 0);
        List<AttributeProto> attrs = new ArrayList<>();
        attrs.add(attr("kernel_shape", k));
        attrs.add(attr("strides", a.getInts("strides")));
        attrs.add(padding(n, xs, nhwc, k[0], k[1], new int[] {1, 1}));
        if (onnxOp.equals("AveragePool")) attrs.add(attr("count_include_pad", 0)); // Nabla averages real elements
        writeSpatial(n, w, onnxOp, in(x), attrs, nhwc);
    }

    /** The channels-first N-d pools (ONNX's own attributes); AveragePool takes dilations only from opset 19. */
    private static void poolNd(Node n, OnnxGraphWriter w, String onnxOp) {
        var a = n.attrs();
        int[] k = a.getInts("kernel"), dil = a.getInts("dilations");
        List<AttributeProto> attrs = new ArrayList<>();
        attrs.add(attr("kernel_shape", k));
        if (a.getInts("strides").length > 0) attrs.add(attr("strides", a.getInts("strides")));
        if (java.util.Arrays.stream(dil).anyMatch(d -> d != 1)) {
            if (onnxOp.equals("AveragePool")) throw ArrayExports.unsupported(n, "dilated average pooling (opset 17)");
            attrs.add(attr("dilations", dil));
        }
        switch (a.getString("padding")) {
            case "EXPLICIT" -> {
                if (a.getInts("pads").length > 0) attrs.add(attr("pads", a.getInts("pads")));
            }
            case "VALID" -> attrs.add(attr("auto_pad", "VALID"));
            case "SAME" -> attrs.add(attr("auto_pad", "SAME_UPPER"));
            default -> attrs.add(attr("auto_pad", a.getString("padding")));
        }
        attrs.add(attr("ceil_mode", a.getBool("ceilMode") ? 1 : 0));
        if (onnxOp.equals("AveragePool")) attrs.add(attr("count_include_pad", a.getBool("countIncludePad") ? 1 : 0));
        else attrs.add(attr("storage_order", a.getInt("storageOrder")));
        w.result(n, onnxOp, in(w.input(n, 0)), attrs.toArray(AttributeProto[]::new));
    }

    private static void writeSpatial(Node n, OnnxGraphWriter w, String onnxOp, List<String> inputs,
                                     List<AttributeProto> attrs, boolean nhwc) {
        AttributeProto[] at = attrs.toArray(AttributeProto[]::new);
        if (nhwc) w.resultNchw(n, 0, onnxOp, inputs, at);
        else w.result(n, onnxOp, inputs, at);
    }

    /**
     * ONNX pads [top, left, bottom, right] for the node's padding: VALID is none, EXPLICIT is the attribute, SAME is
     * computed as TensorFlow does (the odd pixel after) when height and width are known, else ONNX's SAME_UPPER,
     * which is the same rule.
     */
    private static AttributeProto padding(Node n, Shape xs, boolean nhwc, int kh, int kw, int[] dilations) {
        var a = n.attrs();
        String padding = a.getString("padding");
        int[] s = a.getInts("strides");
        return switch (padding) {
            case "VALID" -> attr("pads", 0, 0, 0, 0);
            case "EXPLICIT" -> {
                int[] e = a.getInts("explicitPaddings"); // top, bottom, left, right
                yield attr("pads", e[0], e[2], e[1], e[3]);
            }
            default -> {
                int h = xs.dim(nhwc ? 1 : 2), wd = xs.dim(nhwc ? 2 : 3);
                if (h < 0 || wd < 0) yield attr("auto_pad", "SAME_UPPER");
                int[] ph = samePads(h, kh, s[0], dilations[0]), pw = samePads(wd, kw, s[1], dilations[1]);
                yield attr("pads", ph[0], pw[0], ph[1], pw[1]);
            }
        };
    }

    /** TensorFlow's SAME padding of one axis: {before, after}, the odd one after. */
    private static int[] samePads(int in, int k, int stride, int dilation) {
        int out = (in + stride - 1) / stride;
        int effective = (k - 1) * dilation + 1;
        int total = Math.max((out - 1) * stride + effective - in, 0);
        return new int[] {total / 2, total - total / 2};
    }

    /** y = x * a + b with a = scale / sqrt(variance + epsilon), b = offset - mean * a: Nabla's kernel's formula. */
    private static void batchNorm(Node n, OnnxGraphWriter w) {
        DType d = n.outputSpec(0).dtype();
        boolean nchwForm = n.attrs().getString("dataFormat").equals("NHWC") && w.hasNchw(n, 0);
        boolean channelsFirst = nchwForm || n.attrs().getString("dataFormat").equals("NCHW");
        int rank = channelsFirst ? rank(n) : 1;
        String std = w.temp(n, "Sqrt", in(w.temp(n, "Add", in(w.input(n, 4), w.scalar(n, "epsilon", d,
                n.attrs().getDouble("epsilon"))))));
        String mul = w.temp(n, "Div", in(w.input(n, 1), std));
        String add = w.temp(n, "Sub", in(w.input(n, 2), w.temp(n, "Mul", in(w.input(n, 3), mul))));
        String x = nchwForm ? w.inputNchw(n, 0) : w.input(n, 0);
        String scaled = w.temp(n, "Mul", in(x, channelVector(n, w, mul, rank)));
        List<String> sum = in(scaled, channelVector(n, w, add, rank));
        if (nchwForm) w.resultNchw(n, 0, "Add", sum);
        else w.result(n, "Add", sum);
    }

    /** {@code t} with its axes permuted ({@code perm[i]} is the source axis of result axis i), dense. */
    static Tensor permuted(Tensor t, int[] perm) {
        try (var eager = org.nabla.eager.ExecutionContext.enter(org.nabla.eager.EagerContext.INSTANCE)) {
            return org.nabla.Ops.transpose(t, perm).dense();
        }
    }
}
