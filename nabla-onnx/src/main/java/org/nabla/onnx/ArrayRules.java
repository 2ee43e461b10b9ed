package org.nabla.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.ops.Infer;

/** Shape and layout operators, indexing, constants. Shape-like inputs must be known at import time. */
final class ArrayRules {
    private ArrayRules() {}

    static void register(OnnxOperators r) {
        r.one("Concat", n -> Ops.concat((int) n.attrInt("axis", 0), n.presentInputs().toArray(Tensor[]::new)));
        r.one("Transpose", n -> {
            Tensor x = n.required(0);
            int[] perm = n.attrInts("perm", null);
            if (perm == null) {
                perm = new int[x.rank()];
                for (int i = 0; i < perm.length; i++) perm[i] = perm.length - 1 - i;
            }
            return Ops.transpose(x, perm);
        });
        r.one("Reshape", ArrayRules::reshape);
        r.one("Flatten", ArrayRules::flatten);
        r.one("Squeeze", ArrayRules::squeeze);
        r.one("Unsqueeze", ArrayRules::unsqueeze);
        r.one("Expand", n -> {
            Tensor x = n.required(0);
            Shape target = Shape.of(n.constant(1).toLongArray());
            return Ops.broadcastTo(x, Infer.broadcast("Expand", x.shape(), target).dims());
        });
        r.one("Tile", n -> Ops.tile(n.required(0), n.constant(1).toIntArray()));
        r.rule("Split", ArrayRules::split);
        r.one("Slice", ArrayRules::slice);
        r.one("OneHot", ArrayRules::oneHot);
        r.one("Shape", ArrayRules::shape);
        r.one("Size", n -> {
            Shape s = n.required(0).shape();
            if (!s.isFullyDefined()) throw n.unsupported("Size of a tensor of unknown shape " + s);
            return Tensors.scalar(s.size());
        });
        r.one("Constant", ArrayRules::constant);
        r.one("ConstantOfShape", n -> {
            Tensor value = n.attrTensor("value");
            Tensor v = value == null ? Tensors.scalar(0f) : Ops.reshape(value);
            return Ops.fill(v, n.constant(0).toIntArray());
        });
        r.one("Range", n -> {
            Tensor start = n.constant(0), limit = n.constant(1), delta = n.constant(2);
            return Ops.range(start.doubleValue(), limit.doubleValue(), delta.doubleValue(), start.dtype());
        });
        r.one("Pad", ArrayRules::pad);
        r.one("DepthToSpace", ArrayRules::depthToSpace);
        r.one("SpaceToDepth", ArrayRules::spaceToDepth);
        r.one("Trilu", ArrayRules::trilu);
        r.one("EyeLike", ArrayRules::eyeLike);
        r.one("Resize", Resize::resize);
        r.one("Upsample", Resize::upsample);
    }

    private static Tensor reshape(OnnxNode n) {
        Tensor x = n.required(0);
        boolean allowZero = n.attrInt("allowzero", 0) == 1;
        Tensor known = n.known(1);
        // A shape computed at run time (from Shape of a tensor with an unknown batch size, say).
        if (known == null) return Ops.dynamicReshape(x, n.required(1), !allowZero);
        int[] target = known.toIntArray();
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0 && !allowZero) {
                if (i >= x.rank()) throw n.error("shape " + Arrays.toString(target) + " copies dimension " + i
                        + " of an input of rank " + x.rank());
                target[i] = x.shape().dim(i);
                if (target[i] < 0) return Ops.dynamicReshape(x, known, true); // copies an unknown dimension
            }
        }
        return Ops.reshape(x, target);
    }

    private static Tensor flatten(OnnxNode n) {
        Tensor x = n.required(0);
        int[] d = x.shape().dims();
        int axis = (int) n.attrInt("axis", 1);
        if (axis < 0) axis += d.length;
        if (axis < 0 || axis > d.length) throw n.error("axis " + n.attrInt("axis", 1) + " is out of range for rank "
                + d.length);
        long outer = 1, inner = 1;
        boolean outerKnown = true, innerKnown = true;
        for (int i = 0; i < d.length; i++) {
            if (i < axis) {
                if (d[i] < 0) outerKnown = false; else outer *= d[i];
            } else {
                if (d[i] < 0) innerKnown = false; else inner *= d[i];
            }
        }
        if (!outerKnown && !innerKnown) throw n.unsupported("Flatten with unknown dimensions on both sides of axis "
                + axis + " (shape " + x.shape() + ")");
        return Ops.reshape(x, outerKnown ? (int) outer : -1, innerKnown ? (int) inner : -1);
    }

    private static int[] axesInputOrAttr(OnnxNode n, int input) {
        if (n.opset() >= 13) return n.in(input) == null ? null : n.constant(input).toIntArray();
        return n.attrInts("axes", null);
    }

    private static Tensor squeeze(OnnxNode n) {
        int[] axes = axesInputOrAttr(n, 1);
        Tensor x = n.required(0);
        if (axes == null) {
            List<Integer> ones = new ArrayList<>();
            for (int i = 0; i < x.rank(); i++) {
                if (x.shape().dim(i) == 1) ones.add(i);
                else if (x.shape().dim(i) < 0) throw n.unsupported("Squeeze without axes on unknown dimension " + i);
            }
            axes = ones.stream().mapToInt(Integer::intValue).toArray();
            if (axes.length == 0) return Ops.identity(x);
        }
        return Ops.squeeze(x, axes);
    }

    private static Tensor unsqueeze(OnnxNode n) {
        int[] axes = axesInputOrAttr(n, 1);
        if (axes == null) throw n.error("needs axes");
        Tensor x = n.required(0);
        int outRank = x.rank() + axes.length;
        int[] norm = Arrays.stream(axes).map(a -> a < 0 ? a + outRank : a).sorted().toArray();
        for (int a : norm) x = Ops.expandDims(x, a);
        return x;
    }

    private static List<Tensor> split(OnnxNode n) {
        Tensor x = n.required(0);
        int axis = (int) n.attrInt("axis", 0);
        int outputs = n.outputCount();
        int[] sizes = n.opset() >= 13 ? (n.in(1) == null ? null : n.constant(1).toIntArray())
                : n.attrInts("split", null);
        if (sizes != null) return List.of(Ops.split(x, sizes, axis));
        int dim = x.shape().dim(axis);
        if (n.hasAttr("num_outputs")) outputs = (int) n.attrInt("num_outputs", outputs);
        if (dim < 0) throw n.unsupported("Split of an axis of unknown size without split sizes");
        if (dim % outputs == 0) return List.of(Ops.split(x, outputs, axis));
        // Opset 18: uneven split, every chunk ceil(dim / outputs) but the last.
        int chunk = (dim + outputs - 1) / outputs;
        int[] uneven = new int[outputs];
        for (int i = 0; i < outputs; i++) uneven[i] = Math.max(0, Math.min(chunk, dim - i * chunk));
        return List.of(Ops.split(x, uneven, axis));
    }

    /** ONNX Slice (starts, ends, axes, steps as inputs; attributes before opset 10) as a clamped strided slice. */
    private static Tensor slice(OnnxNode n) {
        Tensor x = n.required(0);
        int rank = x.rank();
        long[] starts, ends, axes, steps;
        if (n.opset() < 10) {
            starts = n.attrLongs("starts", new long[0]);
            ends = n.attrLongs("ends", new long[0]);
            axes = n.attrLongs("axes", null);
            steps = null;
        } else {
            starts = n.constant(1).toLongArray();
            ends = n.constant(2).toLongArray();
            axes = n.in(3) != null ? n.constant(3).toLongArray() : null;
            steps = n.in(4) != null ? n.constant(4).toLongArray() : null;
        }
        int[] begin = new int[rank], end = new int[rank], stride = new int[rank];
        int beginMask = 0, endMask = 0;
        for (int i = 0; i < rank; i++) {
            stride[i] = 1;
            beginMask |= 1 << i;
            endMask |= 1 << i;
        }
        for (int k = 0; k < starts.length; k++) {
            int axis = (int) (axes == null ? k : axes[k] < 0 ? axes[k] + rank : axes[k]);
            if (axis < 0 || axis >= rank) throw n.error("axis " + axes[k] + " is out of range for rank " + rank);
            int dim = x.shape().dim(axis);
            if (dim < 0) throw n.unsupported("Slice of axis " + axis + ", whose size is unknown when importing");
            long step = steps == null ? 1 : steps[k];
            if (step == 0) throw n.error("step 0 on axis " + axis);
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

    /** The tensor reversed along {@code axis}. */
    static Tensor reverse(Tensor x, int axis) {
        int rank = x.rank();
        int[] begin = new int[rank], end = new int[rank], strides = new int[rank];
        Arrays.fill(strides, 1);
        strides[axis] = -1;
        int all = (1 << rank) - 1;
        return Ops.stridedSlice(x, begin, end, strides, all, all, 0, 0, 0);
    }

    private static Tensor oneHot(OnnxNode n) {
        int depth = (int) n.constant(1).doubleValue();
        Tensor values = n.constant(2);
        Tensor indices = Ops.cast(n.required(0), DType.INT64);
        indices = Ops.where(Ops.less(indices, 0L), Ops.add(indices, (long) depth), indices);
        double[] v = values.toDoubleArray();
        int axis = (int) n.attrInt("axis", -1);
        if (axis < -1) axis += indices.rank() + 1; // ONNX counts negative axes in the output; TF allows only -1
        return Ops.oneHot(indices, depth, v[1], v[0], axis, values.dtype());
    }

    private static Tensor shape(OnnxNode n) {
        Shape s = n.required(0).shape();
        int rank = s.rank();
        int start = clampAxis((int) n.attrInt("start", 0), rank);
        int end = clampAxis((int) n.attrInt("end", rank), rank);
        long[] v = new long[Math.max(0, end - start)];
        for (int i = 0; i < v.length; i++) {
            v[i] = s.dim(start + i);
            if (v[i] < 0) { // known only at run time
                Tensor all = Ops.shape(n.required(0), DType.INT64);
                return start == 0 && end == rank ? all : Ops.slice(all, new int[] {start}, new int[] {v.length});
            }
        }
        return Tensors.of(v, v.length);
    }

    private static int clampAxis(int a, int rank) {
        int v = a < 0 ? a + rank : a;
        return Math.max(0, Math.min(rank, v));
    }

    private static Tensor constant(OnnxNode n) {
        Tensor t = n.attrTensor("value");
        if (t != null) return t;
        if (n.hasAttr("value_float")) return Tensors.scalar((float) n.attrFloat("value_float", 0));
        if (n.hasAttr("value_int")) return Tensors.scalar(n.attrInt("value_int", 0));
        float[] fs = n.attrFloats("value_floats", null);
        if (fs != null) return Tensors.of(fs, fs.length);
        long[] ls = n.attrLongs("value_ints", null);
        if (ls != null) return Tensors.of(ls, ls.length);
        throw n.unsupported("Constant without a tensor, float or int value (attributes: sparse or string values)");
    }

    private static Tensor pad(OnnxNode n) {
        Tensor x = n.required(0);
        String mode = n.attrString("mode", "constant");
        int rank = x.rank();
        long[] pads;
        double value;
        Tensor runtimeValue = null; // a constant_value computed at run time
        int[] axes = null;
        if (n.opset() < 11) {
            pads = n.attrLongs("pads", new long[0]);
            value = n.attrFloat("value", 0);
        } else {
            pads = n.constant(1).toLongArray();
            if (n.in(2) != null && n.known(2) == null && mode.equals("constant")) runtimeValue = n.in(2);
            value = n.in(2) != null && runtimeValue == null ? n.constant(2).doubleValue() : 0;
            if (n.in(3) != null) axes = n.constant(3).toIntArray();
        }
        int count = axes == null ? rank : axes.length;
        if (pads.length != 2 * count) throw n.error("pads has " + pads.length + " values, expected " + 2 * count);
        int[][] paddings = new int[rank][2];
        for (int k = 0; k < count; k++) {
            int axis = axes == null ? k : axes[k] < 0 ? axes[k] + rank : axes[k];
            paddings[axis][0] = (int) pads[k];
            paddings[axis][1] = (int) pads[k + count];
        }
        // Negative pads crop: slice those first, then pad by the positive ones.
        int[] begin = new int[rank], size = new int[rank];
        boolean crops = false;
        for (int a = 0; a < rank; a++) {
            size[a] = -1;
            if (paddings[a][0] < 0 || paddings[a][1] < 0) {
                crops = true;
                int dim = NnRules.knownDim(n, x, a);
                begin[a] = Math.max(0, -paddings[a][0]);
                size[a] = dim - begin[a] - Math.max(0, -paddings[a][1]);
                paddings[a][0] = Math.max(0, paddings[a][0]);
                paddings[a][1] = Math.max(0, paddings[a][1]);
            }
        }
        if (crops) x = Ops.slice(x, begin, size);
        if (runtimeValue != null) { // pad with zeros, then put the value where the mask of the original is 0
            Tensor inside = Ops.greater(Ops.pad(Ops.onesLike(Ops.cast(x, DType.FLOAT32)), paddings), 0f);
            return Ops.where(inside, Ops.pad(x, paddings), Ops.cast(Ops.reshape(runtimeValue), x.dtype()));
        }
        return switch (mode) {
            case "constant" -> Ops.pad(x, paddings, "CONSTANT", value);
            case "reflect" -> Ops.pad(x, paddings, "REFLECT", 0);
            case "edge" -> edgePad(n, x, paddings);
            default -> throw n.unsupported("Pad mode '" + mode + "' (Nabla pads with constant, reflect and edge)");
        };
    }

    /** Edge padding: each padded position repeats the nearest element (a gather of clamped indices per axis). */
    private static Tensor edgePad(OnnxNode n, Tensor x, int[][] paddings) {
        Tensor y = x;
        for (int a = 0; a < x.rank(); a++) {
            if (paddings[a][0] == 0 && paddings[a][1] == 0) continue;
            int dim = NnRules.knownDim(n, x, a);
            long[] idx = new long[paddings[a][0] + dim + paddings[a][1]];
            for (int i = 0; i < idx.length; i++) idx[i] = Math.max(0, Math.min(dim - 1, i - paddings[a][0]));
            y = Ops.gather(y, Tensors.of(idx, idx.length), a);
        }
        return y;
    }

    /** NCHW channels moved into b x b spatial blocks: DCR takes the block index from the outer channel bits. */
    private static Tensor depthToSpace(OnnxNode n) {
        Tensor x = n.required(0);
        int b = blockSize(n, x);
        int c = NnRules.knownDim(n, x, 1), h = NnRules.knownDim(n, x, 2), w = NnRules.knownDim(n, x, 3);
        if (c % (b * b) != 0) throw n.error("channels " + c + " are not divisible by blocksize^2 = " + b * b);
        int cOut = c / (b * b);
        boolean crd = n.attrString("mode", "DCR").equals("CRD");
        Tensor y = crd ? Ops.transpose(Ops.reshape(x, -1, cOut, b, b, h, w), 0, 1, 4, 2, 5, 3)
                : Ops.transpose(Ops.reshape(x, -1, b, b, cOut, h, w), 0, 3, 4, 1, 5, 2);
        return Ops.reshape(y, -1, cOut, h * b, w * b);
    }

    /** The inverse of DepthToSpace in DCR mode: each b x b spatial block becomes channels. */
    private static Tensor spaceToDepth(OnnxNode n) {
        Tensor x = n.required(0);
        int b = blockSize(n, x);
        int c = NnRules.knownDim(n, x, 1), h = NnRules.knownDim(n, x, 2), w = NnRules.knownDim(n, x, 3);
        if (h % b != 0 || w % b != 0) throw n.error("height " + h + " and width " + w + " must be multiples of "
                + "blocksize " + b);
        Tensor y = Ops.transpose(Ops.reshape(x, -1, c, h / b, b, w / b, b), 0, 3, 5, 1, 2, 4);
        return Ops.reshape(y, -1, c * b * b, h / b, w / b);
    }

    private static int blockSize(OnnxNode n, Tensor x) {
        if (x.rank() != 4) throw n.error("input must be 4-D (N, C, H, W), got " + x.shape());
        long b = n.attrInt("blocksize", 0);
        if (b < 1) throw n.error("needs a blocksize >= 1, got " + b);
        return (int) b;
    }

    /**
     * The upper (or lower) triangle of the last two axes, from diagonal k on: a mask built at import time from the
     * matrix size.
     */
    private static Tensor trilu(OnnxNode n) {
        Tensor x = n.required(0);
        if (x.rank() < 2) throw n.error("input must have rank >= 2, got " + x.shape());
        long k = n.in(1) == null ? 0 : n.constant(1).longValue();
        boolean upper = n.attrInt("upper", 1) == 1;
        int rows = NnRules.knownDim(n, x, x.rank() - 2), cols = NnRules.knownDim(n, x, x.rank() - 1);
        byte[] keep = new byte[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) keep[i * cols + j] = (byte) ((upper ? j - i >= k : j - i <= k) ? 1 : 0);
        }
        return Ops.where(Tensor.wrap(DType.BOOL, Shape.of(rows, cols), keep), x, Ops.zerosLike(x));
    }

    /** A matrix shaped like the input with ones on diagonal k (dtype from the attribute, else the input's). */
    private static Tensor eyeLike(OnnxNode n) {
        Tensor x = n.required(0);
        if (x.rank() != 2) throw n.error("input must be 2-D, got " + x.shape());
        int rows = NnRules.knownDim(n, x, 0), cols = NnRules.knownDim(n, x, 1);
        DType dtype = n.hasAttr("dtype") ? OnnxTypes.toDType((int) n.attrInt("dtype", 1), n.where() + " 'dtype'")
                : x.dtype();
        long k = n.attrInt("k", 0);
        double[] v = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            long j = i + k;
            if (j >= 0 && j < cols) v[i * cols + (int) j] = 1;
        }
        return Ops.cast(Tensors.of(v, rows, cols), dtype);
    }
}
