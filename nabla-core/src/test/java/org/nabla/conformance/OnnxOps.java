package org.nabla.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * Maps an ONNX operator (with its attributes and opset rules) onto Nabla ops for the conformance run. Operators
 * without a Nabla counterpart, or attribute values Nabla does not cover, raise {@link Unsupported} with the reason.
 * The full ONNX importer is a later milestone; this table exists to check the kernels against ONNX's expected outputs.
 */
final class OnnxOps {
    /** The case uses an operator, attribute or dtype Nabla does not cover; the message says which. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String reason) { super(reason); }
    }

    /** One node's inputs by position (null where ONNX leaves an optional input empty). */
    private record Node(OnnxCase c, List<Tensor> in) {
        Tensor x(int i) { return i < in.size() ? in.get(i) : null; }

        int rank() { return in.get(0).rank(); }
    }

    @FunctionalInterface
    private interface Mapping {
        List<Tensor> apply(Node n);
    }

    private static final Map<String, Mapping> OPS = new HashMap<>();

    private static void one(String name, java.util.function.Function<Node, Tensor> f) {
        OPS.put(name, n -> List.of(f.apply(n)));
    }

    private static void unary(String name, UnaryOperator<Tensor> f) { one(name, n -> f.apply(n.x(0))); }

    private static void binary(String name, BinaryOperator<Tensor> f) {
        one(name, n -> {
            if (n.x(0).dtype() != n.x(1).dtype()) {
                throw new Unsupported("mixed dtypes " + n.x(0).dtype() + " and " + n.x(1).dtype()
                        + " (Nabla ops take equal dtypes)");
            }
            return f.apply(n.x(0), n.x(1));
        });
    }

    private static void variadic(String name, BinaryOperator<Tensor> f) {
        one(name, n -> n.in.stream().reduce(f).orElseThrow());
    }

    static {
        binary("Add", Ops::add);
        binary("Sub", Ops::sub);
        binary("Mul", Ops::mul);
        binary("Div", Ops::div);
        binary("Pow", Ops::pow);
        binary("Equal", Ops::equal);
        binary("Greater", Ops::greater);
        binary("GreaterOrEqual", Ops::greaterEqual);
        binary("Less", Ops::less);
        binary("LessOrEqual", Ops::lessEqual);
        binary("And", Ops::logicalAnd);
        binary("Or", Ops::logicalOr);
        binary("Xor", Ops::logicalXor);
        variadic("Max", Ops::maximum);
        variadic("Min", Ops::minimum);
        variadic("Sum", Ops::add);
        one("Mean", n -> Ops.div(n.in.stream().reduce(Ops::add).orElseThrow(), n.in.size()));
        unary("Abs", Ops::abs);
        unary("Neg", Ops::neg);
        unary("Exp", Ops::exp);
        unary("Log", Ops::log);
        unary("Sqrt", Ops::sqrt);
        unary("Sin", Ops::sin);
        unary("Cos", Ops::cos);
        unary("Tanh", Ops::tanh);
        unary("Erf", Ops::erf);
        unary("Ceil", Ops::ceil);
        unary("Floor", Ops::floor);
        unary("Round", Ops::round);
        unary("Sign", Ops::sign);
        unary("Reciprocal", Ops::reciprocal);
        unary("Not", Ops::logicalNot);
        unary("IsNaN", Ops::isNan);
        unary("Identity", Ops::identity);
        unary("Relu", Ops::relu);
        unary("Sigmoid", Ops::sigmoid);
        unary("Softplus", Ops::softplus);
        one("IsInf", OnnxOps::isInf);
        one("LeakyRelu", n -> Ops.leakyRelu(n.x(0), n.c().attrFloat("alpha", 0.01)));
        one("Elu", n -> Ops.elu(n.x(0), n.c().attrFloat("alpha", 1.0)));
        one("Selu", n -> {
            if (n.c().attr("alpha") == null && n.c().attr("gamma") == null) return Ops.selu(n.x(0));
            double alpha = n.c().attrFloat("alpha", 1.67326319217681884765625);
            double gamma = n.c().attrFloat("gamma", 1.05070102214813232421875);
            return Ops.mul(Ops.where(Ops.greater(n.x(0), 0), n.x(0), Ops.mul(Ops.sub(Ops.exp(n.x(0)), 1), alpha)),
                    gamma);
        });
        one("Gelu", n -> Ops.gelu(n.x(0), n.c().attrString("approximate", "none").equals("tanh")));
        one("Softsign", n -> Ops.div(n.x(0), Ops.add(Ops.abs(n.x(0)), 1)));
        one("HardSigmoid", n -> Ops.clip(Ops.add(Ops.mul(n.x(0), n.c().attrFloat("alpha", 0.2)),
                n.c().attrFloat("beta", 0.5)), 0, 1));
        one("HardSwish", n -> Ops.mul(n.x(0), Ops.clip(Ops.add(Ops.mul(n.x(0), 1.0 / 6), 0.5), 0, 1)));
        one("ThresholdedRelu", n -> Ops.where(Ops.greater(n.x(0), n.c().attrFloat("alpha", 1.0)), n.x(0), 0));
        one("Celu", n -> {
            double alpha = n.c().attrFloat("alpha", 1.0);
            Tensor x = n.x(0);
            return Ops.add(Ops.maximum(x, 0), Ops.minimum(Ops.mul(Ops.sub(Ops.exp(Ops.div(x, alpha)), 1), alpha), 0));
        });
        one("PRelu", n -> Ops.where(Ops.less(n.x(0), 0), Ops.mul(n.x(0), n.x(1)), n.x(0)));
        one("Clip", n -> {
            Tensor x = n.x(0);
            Tensor lo = n.x(1), hi = n.x(2);
            if (lo != null && hi != null) return Ops.clip(x, lo, hi);
            if (lo != null) return Ops.maximum(x, lo);
            if (hi != null) return Ops.minimum(x, hi);
            return Ops.identity(x);
        });
        one("Where", n -> Ops.where(n.x(0), n.x(1), n.x(2)));
        one("Softmax", n -> {
            requireOpset(n, 13, "Softmax");
            return Ops.softmax(n.x(0), (int) n.c().attrInt("axis", -1));
        });
        one("LogSoftmax", n -> {
            requireOpset(n, 13, "LogSoftmax");
            return Ops.logSoftmax(n.x(0), (int) n.c().attrInt("axis", -1));
        });
        reduction("ReduceSum", (x, k, a) -> Ops.sum(x, k, a), 13);
        reduction("ReduceMean", (x, k, a) -> Ops.mean(x, k, a), 18);
        // Nabla follows TensorFlow: max/min take numbers; on booleans they are any/all.
        reduction("ReduceMax", (x, k, a) -> x.dtype() == DType.BOOL ? Ops.any(x, k, a) : Ops.max(x, k, a), 18);
        reduction("ReduceMin", (x, k, a) -> x.dtype() == DType.BOOL ? Ops.all(x, k, a) : Ops.min(x, k, a), 18);
        reduction("ReduceProd", (x, k, a) -> Ops.prod(x, k, a), 18);
        reduction("ReduceLogSumExp", (x, k, a) -> Ops.logSumExp(x, k, a), 18);
        reduction("ReduceL1", (x, k, a) -> Ops.sum(Ops.abs(x), k, a), 18);
        reduction("ReduceL2", (x, k, a) -> Ops.sqrt(Ops.sum(Ops.square(x), k, a)), 18);
        reduction("ReduceSumSquare", (x, k, a) -> Ops.sum(Ops.square(x), k, a), 18);
        reduction("ReduceLogSum", (x, k, a) -> Ops.log(Ops.sum(x, k, a)), 18);
        one("ArgMax", n -> arg(n, true));
        one("ArgMin", n -> arg(n, false));
        one("CumSum", n -> Ops.cumsum(n.x(0), (int) n.x(1).longValue(), n.c().attrInt("exclusive", 0) == 1,
                n.c().attrInt("reverse", 0) == 1));
        one("Concat", n -> Ops.concat((int) n.c().attrInt("axis", 0), n.in.toArray(Tensor[]::new)));
        one("Transpose", n -> Ops.transpose(n.x(0), n.c().attrInts("perm", new int[0])));
        one("Reshape", OnnxOps::reshape);
        one("Flatten", n -> {
            int[] d = n.x(0).shape().dims();
            int axis = (int) n.c().attrInt("axis", 1);
            if (axis < 0) axis += d.length;
            int outer = 1, inner = 1;
            for (int i = 0; i < d.length; i++) if (i < axis) outer *= d[i]; else inner *= d[i];
            return Ops.reshape(n.x(0), outer, inner);
        });
        one("Squeeze", n -> Ops.squeeze(n.x(0), axesInputOrAttr(n, 1, new int[0])));
        one("Unsqueeze", OnnxOps::unsqueeze);
        one("Expand", n -> {
            Shape target = Shape.of(n.x(1).toLongArray());
            return Ops.broadcastTo(n.x(0), broadcastShape(n.x(0).shape(), target).dims());
        });
        one("Tile", n -> Ops.tile(n.x(0), n.x(1).toIntArray()));
        one("Gather", n -> Ops.gather(n.x(0), n.x(1), (int) n.c().attrInt("axis", 0)));
        one("GatherND", n -> {
            if (n.c().attrInt("batch_dims", 0) != 0) throw new Unsupported("GatherND batch_dims != 0");
            return Ops.gatherNd(n.x(0), n.x(1));
        });
        OPS.put("Split", OnnxOps::split);
        one("Slice", OnnxOps::slice);
        one("OneHot", OnnxOps::oneHot);
        one("MatMul", OnnxOps::matmul);
        one("Gemm", n -> {
            Tensor y = Ops.mul(Ops.matmul(n.x(0), n.x(1), n.c().attrInt("transA", 0) == 1,
                    n.c().attrInt("transB", 0) == 1), n.c().attrFloat("alpha", 1.0));
            return n.x(2) == null ? y : Ops.add(y, Ops.mul(n.x(2), n.c().attrFloat("beta", 1.0)));
        });
        one("Conv", OnnxOps::conv);
        one("MaxPool", n -> pool(n, true));
        one("AveragePool", n -> pool(n, false));
        one("GlobalAveragePool", n -> Ops.mean(n.x(0), true, spatialAxes(n)));
        one("GlobalMaxPool", n -> Ops.max(n.x(0), true, spatialAxes(n)));
        one("BatchNormalization", n -> {
            if (n.c().attrInt("training_mode", 0) != 0) throw new Unsupported("BatchNormalization training_mode");
            return Ops.batchNormInference(n.x(0), n.x(1), n.x(2), n.x(3), n.x(4), n.c().attrFloat("epsilon", 1e-5),
                    "NCHW");
        });
        OPS.put("LayerNormalization", OnnxOps::layerNorm);
        OPS.put("Dropout", n -> {
            Tensor training = n.x(2);
            if (training != null && training.booleanValue()) throw new Unsupported("Dropout in training mode");
            List<Tensor> out = new ArrayList<>(List.of(Ops.identity(n.x(0))));
            if (n.c().nodeOutputs.size() > 1) out.add(Ops.cast(Ops.onesLike(n.x(0)), DType.BOOL));
            return out;
        });
        one("Shape", n -> {
            int[] d = n.x(0).shape().dims();
            int start = clampAxis((int) n.c().attrInt("start", 0), d.length);
            int end = clampAxis((int) n.c().attrInt("end", d.length), d.length);
            long[] v = new long[Math.max(0, end - start)];
            for (int i = 0; i < v.length; i++) v[i] = d[start + i];
            return Tensors.of(v, v.length);
        });
        one("Size", n -> Tensors.scalar(n.x(0).size()));
        one("Constant", n -> {
            OnnxCase.Attribute v = n.c().attr("value");
            if (v == null || v.t() == null) throw new Unsupported("Constant without a tensor 'value'");
            return OnnxConformanceTest.toTensor(v.t());
        });
        one("ConstantOfShape", n -> {
            OnnxCase.Attribute v = n.c().attr("value");
            Tensor value = v == null ? Tensors.scalar(0f) : Ops.reshape(OnnxConformanceTest.toTensor(v.t()));
            return Ops.fill(value, n.x(0).toIntArray());
        });
        one("Pad", OnnxOps::pad);
    }

    @FunctionalInterface
    private interface Reduce {
        Tensor apply(Tensor x, boolean keepDims, int[] axes);
    }

    /** ONNX reductions: axes from an attribute (older opsets) or an input (newer), keepdims 1, noop_with_empty_axes. */
    private static void reduction(String name, Reduce f, int axesInputSince) {
        one(name, n -> {
            boolean keep = n.c().attrInt("keepdims", 1) == 1;
            int[] axes = n.c().opset >= axesInputSince
                    ? (n.x(1) == null ? new int[0] : n.x(1).toIntArray())
                    : n.c().attrInts("axes", new int[0]);
            if (axes.length == 0 && n.c().attrInt("noop_with_empty_axes", 0) == 1) return Ops.identity(n.x(0));
            if (axes.length == 0) {
                axes = new int[n.rank()];
                for (int i = 0; i < axes.length; i++) axes[i] = i;
            }
            return f.apply(n.x(0), keep, axes);
        });
    }

    private static void requireOpset(Node n, int since, String op) {
        if (n.c().opset < since) throw new Unsupported(op + " before opset " + since + " (flattens to 2-D)");
    }

    private static Tensor isInf(Node n) {
        Tensor x = n.x(0);
        Tensor inf = Ops.logicalAnd(Ops.logicalNot(Ops.isFinite(x)), Ops.logicalNot(Ops.isNan(x)));
        boolean pos = n.c().attrInt("detect_positive", 1) == 1, neg = n.c().attrInt("detect_negative", 1) == 1;
        if (pos && neg) return inf;
        if (pos) return Ops.logicalAnd(inf, Ops.greater(x, 0));
        if (neg) return Ops.logicalAnd(inf, Ops.less(x, 0));
        return Ops.logicalAnd(inf, Ops.logicalNot(inf));
    }

    private static Tensor arg(Node n, boolean max) {
        int axis = (int) n.c().attrInt("axis", 0);
        if (axis < 0) axis += n.rank();
        Tensor x = n.x(0);
        boolean last = n.c().attrInt("select_last_index", 0) == 1;
        if (last) x = reverse(x, axis); // the first hit in reverse order is the last one
        Tensor r = max ? Ops.argmax(x, axis) : Ops.argmin(x, axis);
        if (last) r = Ops.sub(Tensors.scalar((long) n.x(0).shape().dim(axis) - 1), r);
        if (n.c().attrInt("keepdims", 1) == 1) r = Ops.expandDims(r, axis < 0 ? axis + n.rank() : axis);
        return r;
    }

    private static Tensor reverse(Tensor x, int axis) {
        int rank = x.rank();
        int[] begin = new int[rank], end = new int[rank], strides = new int[rank];
        java.util.Arrays.fill(strides, 1);
        strides[axis] = -1;
        int all = (1 << rank) - 1;
        return Ops.stridedSlice(x, begin, end, strides, all, all, 0, 0, 0);
    }

    private static Tensor reshape(Node n) {
        int[] target = n.x(1).toIntArray();
        int[] d = n.x(0).shape().dims();
        boolean allowZero = n.c().attrInt("allowzero", 0) == 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0 && !allowZero) target[i] = d[i];
        }
        return Ops.reshape(n.x(0), target);
    }

    private static int[] axesInputOrAttr(Node n, int input, int[] dflt) {
        if (n.x(input) != null) return n.x(input).toIntArray();
        return n.c().attrInts("axes", dflt);
    }

    private static Tensor unsqueeze(Node n) {
        int[] axes = axesInputOrAttr(n, 1, new int[0]);
        int outRank = n.rank() + axes.length;
        int[] norm = Arrays.stream(axes).map(a -> a < 0 ? a + outRank : a).sorted().toArray();
        Tensor x = n.x(0);
        for (int a : norm) x = Ops.expandDims(x, a);
        return x;
    }

    private static Shape broadcastShape(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            out[i] = da == 1 ? db : da;
        }
        return Shape.of(out);
    }

    private static List<Tensor> split(Node n) {
        int axis = (int) n.c().attrInt("axis", 0);
        int outputs = n.c().nodeOutputs.size();
        int[] sizes = n.x(1) != null ? n.x(1).toIntArray() : n.c().attrInts("split", null);
        if (sizes != null) return List.of(Ops.split(n.x(0), sizes, axis));
        int dim = n.x(0).shape().dim(axis);
        if (dim % outputs == 0) return List.of(Ops.split(n.x(0), outputs, axis));
        // Opset 18: uneven split, every chunk ceil(dim / outputs) but the last.
        int chunk = (dim + outputs - 1) / outputs;
        int[] uneven = new int[outputs];
        for (int i = 0; i < outputs; i++) uneven[i] = Math.max(0, Math.min(chunk, dim - i * chunk));
        return List.of(Ops.split(n.x(0), uneven, axis));
    }

    /** ONNX Slice (starts, ends, axes, steps as inputs) as a strided slice with clamped bounds. */
    private static Tensor slice(Node n) {
        Tensor x = n.x(0);
        int rank = x.rank();
        long[] starts = n.x(1).toLongArray(), ends = n.x(2).toLongArray();
        long[] axes = n.x(3) != null ? n.x(3).toLongArray() : null;
        long[] steps = n.x(4) != null ? n.x(4).toLongArray() : null;
        int[] begin = new int[rank], end = new int[rank], stride = new int[rank];
        int beginMask = 0, endMask = 0;
        for (int i = 0; i < rank; i++) {
            stride[i] = 1;
            beginMask |= 1 << i;
            endMask |= 1 << i;
        }
        for (int k = 0; k < starts.length; k++) {
            int axis = (int) (axes == null ? k : axes[k] < 0 ? axes[k] + rank : axes[k]);
            int dim = x.shape().dim(axis);
            long step = steps == null ? 1 : steps[k];
            long s = starts[k] < 0 ? starts[k] + dim : starts[k];
            long e = ends[k] < 0 ? ends[k] + dim : ends[k];
            if (step > 0) {
                s = Math.max(0, Math.min(dim, s));
                e = Math.max(0, Math.min(dim, e));
            } else {
                s = Math.max(-1, Math.min(dim - 1, s));
                e = Math.max(-1, Math.min(dim - 1, e));
            }
            begin[axis] = (int) s;
            stride[axis] = (int) step;
            beginMask &= ~(1 << axis);
            if (e == -1 && step < 0) {
                end[axis] = 0; // run to the very first element: leave the end open
            } else {
                end[axis] = (int) e;
                endMask &= ~(1 << axis);
            }
        }
        return Ops.stridedSlice(x, begin, end, stride, beginMask, endMask, 0, 0, 0);
    }

    private static Tensor oneHot(Node n) {
        int depth = (int) n.x(1).doubleValue();
        Tensor values = n.x(2);
        Tensor indices = Ops.cast(n.x(0), DType.INT64);
        indices = Ops.where(Ops.less(indices, 0), Ops.add(indices, (long) depth), indices);
        double[] v = values.toDoubleArray();
        int axis = (int) n.c().attrInt("axis", -1);
        if (axis < -1) axis += indices.rank() + 1; // ONNX counts negative axes in the output; TF allows only -1
        return Ops.oneHot(indices, depth, v[1], v[0], axis, values.dtype());
    }

    private static Tensor matmul(Node n) {
        Tensor a = n.x(0), b = n.x(1);
        boolean va = a.rank() == 1, vb = b.rank() == 1;
        if (va) a = Ops.expandDims(a, 0);
        if (vb) b = Ops.expandDims(b, 1);
        Tensor y = Ops.matmul(a, b);
        if (va) y = Ops.squeeze(y, -2);
        if (vb) y = Ops.squeeze(y, -1);
        return y;
    }

    private static Tensor conv(Node n) {
        if (n.rank() != 4) throw new Unsupported("Conv with " + (n.rank() - 2) + " spatial dims (Nabla has Conv2D)");
        String autoPad = n.c().attrString("auto_pad", "NOTSET");
        int[] strides = n.c().attrInts("strides", new int[] {1, 1});
        int[] dil = n.c().attrInts("dilations", new int[] {1, 1});
        int[] pads = n.c().attrInts("pads", new int[] {0, 0, 0, 0});
        Ops.Conv2dOptions o = Ops.Conv2dOptions.defaults().strides(strides[0], strides[1])
                .dilations(dil[0], dil[1]).groups((int) n.c().attrInt("group", 1)).dataFormat("NCHW");
        o = switch (autoPad) {
            case "SAME_UPPER" -> o.padding("SAME");
            case "VALID" -> o.padding("VALID");
            case "NOTSET" -> o.explicitPaddings(pads[0], pads[2], pads[1], pads[3]);
            default -> throw new Unsupported("Conv auto_pad " + autoPad);
        };
        Tensor filter = Ops.transpose(n.x(1), 2, 3, 1, 0); // OIHW -> HWIO
        Tensor y = Ops.conv2d(n.x(0), filter, o);
        return n.x(2) == null ? y : Ops.biasAdd(y, n.x(2), "NCHW");
    }

    private static Tensor pool(Node n, boolean max) {
        if (n.rank() != 4) throw new Unsupported("pooling with " + (n.rank() - 2) + " spatial dims");
        if (n.c().attrInt("ceil_mode", 0) != 0) throw new Unsupported("ceil_mode=1");
        if (n.c().attrInt("count_include_pad", 0) != 0) throw new Unsupported("count_include_pad=1");
        if (n.c().nodeOutputs.size() > 1) throw new Unsupported("MaxPool indices output");
        int[] k = n.c().attrInts("kernel_shape", null);
        int[] strides = n.c().attrInts("strides", new int[] {1, 1});
        int[] dil = n.c().attrInts("dilations", new int[] {1, 1});
        if (dil[0] != 1 || dil[1] != 1) throw new Unsupported("pooling dilations " + Arrays.toString(dil));
        int[] pads = n.c().attrInts("pads", new int[] {0, 0, 0, 0});
        String autoPad = n.c().attrString("auto_pad", "NOTSET");
        String padding;
        if (autoPad.equals("SAME_UPPER")) {
            padding = "SAME";
        } else if (autoPad.equals("VALID") || Arrays.stream(pads).allMatch(p -> p == 0)) {
            padding = "VALID";
        } else {
            throw new Unsupported("pooling with explicit pads " + Arrays.toString(pads) + " (Nabla has SAME/VALID)");
        }
        return max ? Ops.maxPool2d(n.x(0), k, strides, padding, "NCHW")
                : Ops.avgPool2d(n.x(0), k, strides, padding, "NCHW");
    }

    private static int[] spatialAxes(Node n) {
        int[] axes = new int[n.rank() - 2];
        for (int i = 0; i < axes.length; i++) axes[i] = i + 2;
        return axes;
    }

    private static Tensor pad(Node n) {
        String mode = n.c().attrString("mode", "constant");
        long[] pads = n.x(1).toLongArray();
        int rank = n.rank();
        int[] axes = n.x(3) != null ? n.x(3).toIntArray() : null;
        int[][] paddings = new int[rank][2];
        int count = axes == null ? rank : axes.length;
        for (int k = 0; k < count; k++) {
            int axis = axes == null ? k : axes[k] < 0 ? axes[k] + rank : axes[k];
            paddings[axis][0] = (int) pads[k];
            paddings[axis][1] = (int) pads[k + count];
        }
        double value = n.x(2) != null ? n.x(2).doubleValue() : 0;
        return switch (mode) {
            case "constant" -> Ops.pad(n.x(0), paddings, "CONSTANT", value);
            case "reflect" -> Ops.pad(n.x(0), paddings, "REFLECT", 0);
            default -> throw new Unsupported("Pad mode " + mode);
        };
    }

    private static List<Tensor> layerNorm(Node n) {
        Tensor x = n.x(0);
        int axis = (int) n.c().attrInt("axis", -1);
        if (axis < 0) axis += x.rank();
        int[] axes = new int[x.rank() - axis];
        for (int i = 0; i < axes.length; i++) axes[i] = axis + i;
        Tensor mean = Ops.mean(x, true, axes);
        Tensor centered = Ops.sub(x, mean);
        Tensor var = Ops.mean(Ops.square(centered), true, axes);
        Tensor invStd = Ops.rsqrt(Ops.add(var, n.c().attrFloat("epsilon", 1e-5)));
        Tensor y = Ops.mul(Ops.mul(centered, invStd), n.x(1));
        if (n.x(2) != null) y = Ops.add(y, n.x(2));
        return List.of(y, mean, invStd).subList(0, n.c().nodeOutputs.size());
    }

    private static int clampAxis(int a, int rank) {
        int v = a < 0 ? a + rank : a;
        return Math.max(0, Math.min(rank, v));
    }

    static List<Tensor> run(OnnxCase c, List<Tensor> inputs) {
        if (!c.domain.isEmpty() && !c.domain.equals("ai.onnx")) throw new Unsupported("domain " + c.domain);
        Mapping op = OPS.get(c.opType);
        if (op == null) throw new Unsupported("operator " + c.opType + " is not mapped to a Nabla op");
        Map<String, Tensor> byName = new HashMap<>();
        for (var e : c.initializers.entrySet()) byName.put(e.getKey(), OnnxConformanceTest.toTensor(e.getValue()));
        List<String> fed = c.graphInputs.stream().filter(nm -> !c.initializers.containsKey(nm)).toList();
        for (int i = 0; i < fed.size() && i < inputs.size(); i++) byName.put(fed.get(i), inputs.get(i));
        List<Tensor> nodeInputs = new ArrayList<>();
        for (String nm : c.nodeInputs) nodeInputs.add(nm.isEmpty() ? null : byName.get(nm));
        return op.apply(new Node(c, nodeInputs));
    }
}
