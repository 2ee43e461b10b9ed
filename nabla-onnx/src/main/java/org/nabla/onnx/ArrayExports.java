package org.nabla.onnx;

import static org.nabla.onnx.ExportOperators.inputs;
import static org.nabla.onnx.OnnxGraphWriter.attr;
import static org.nabla.onnx.OnnxGraphWriter.in;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.graph.Node;

/** Export rules for shape and layout ops: reshape, transpose, concat, slices, gathers, padding, tiling. */
final class ArrayExports {
    private ArrayExports() {}

    static void register(ExportOperators r) {
        r.rule("Reshape", ArrayExports::reshape);
        r.rule("Shape", (n, w) -> {
            if (n.outputSpec(0).dtype() == DType.INT64) {
                w.result(n, "Shape", in(w.input(n, 0)));
            } else {
                String shape = w.temp(n, "Shape", in(w.input(n, 0)));
                w.result(n, "Cast", in(shape), attr("to", OnnxTypes.toOnnx(DType.INT32)));
            }
        });
        // ONNX's Reshape copies the input's dimension for a 0 unless allowzero is set, as zeroCopiesInput says.
        r.rule("DynamicReshape", (n, w) -> {
            List<String> args = in(w.input(n, 0), int64(n, w, 1));
            if (n.attrs().getBool("zeroCopiesInput")) w.result(n, "Reshape", args);
            else w.result(n, "Reshape", args, attr("allowzero", 1));
        });
        r.rule("Transpose", (n, w) -> w.result(n, "Transpose", in(w.input(n, 0)),
                attr("perm", n.attrs().getInts("perm"))));
        r.rule("Concat", (n, w) -> w.result(n, "Concat", inputs(n, w), attr("axis", n.attrs().getInt("axis"))));
        r.rule("Stack", (n, w) -> {
            int axis = n.attrs().getInt("axis");
            List<String> parts = new ArrayList<>();
            String axes = w.int64s(n, "axes", axis);
            for (int i = 0; i < n.inputs().size(); i++) parts.add(w.temp(n, "Unsqueeze", in(w.input(n, i), axes)));
            w.result(n, "Concat", parts, attr("axis", axis));
        });
        r.rule("Split", ArrayExports::split);
        r.rule("Slice", (n, w) -> {
            int[] begin = n.attrs().getInts("begin"), size = n.attrs().getInts("size");
            long[] starts = new long[begin.length], ends = new long[begin.length];
            for (int i = 0; i < begin.length; i++) {
                starts[i] = begin[i];
                ends[i] = size[i] < 0 ? Long.MAX_VALUE : (long) begin[i] + size[i];
            }
            w.result(n, "Slice", in(w.input(n, 0), w.int64s(n, "starts", starts), w.int64s(n, "ends", ends)));
        });
        r.rule("StridedSlice", ArrayExports::stridedSlice);
        // ONNX's GatherND takes int64 indices only
        r.rule("GatherNd", (n, w) -> w.result(n, "GatherND", in(w.input(n, 0), int64(n, w, 1))));
        r.rule("Fill", (n, w) -> w.result(n, "Expand", in(w.input(n, 0), w.int64s(n, "shape",
                n.attrs().getInts("shape")))));
        r.rule("Sort", (n, w) -> sort(n, w, true));
        r.rule("Argsort", (n, w) -> sort(n, w, false));
        r.rule("TopK", (n, w) -> {
            String idx = w.fresh(n.name() + "/indices");
            w.add(n, "TopK", in(w.input(n, 0), w.int64s(n, "k", n.attrs().getInt("k"))), List.of(w.output(n, 0),
                    idx), attr("axis", -1), attr("largest", 1), attr("sorted", 1));
            w.result(n, 1, "Cast", in(idx), attr("to", OnnxTypes.toOnnx(DType.INT32)));
        });
        r.rule("Gather", (n, w) -> {
            if (n.attrs().getInt("batchDims") != 0) throw unsupported(n, "batchDims != 0");
            w.result(n, "Gather", in(w.input(n, 0), w.input(n, 1)), attr("axis", n.attrs().getInt("axis")));
        });
        r.rule("Tile", (n, w) -> w.result(n, "Tile", in(w.input(n, 0),
                w.int64s(n, "repeats", n.attrs().getInts("multiples")))));
        r.rule("BroadcastTo", (n, w) -> w.result(n, "Expand", in(w.input(n, 0),
                w.int64s(n, "shape", n.attrs().getInts("shape")))));
        r.rule("Squeeze", (n, w) -> {
            int[] axes = n.attrs().getInts("axes");
            w.result(n, "Squeeze", axes.length == 0 ? in(w.input(n, 0)) : in(w.input(n, 0), w.int64s(n, "axes", axes)));
        });
        r.rule("ExpandDims", (n, w) -> w.result(n, "Unsqueeze", in(w.input(n, 0),
                w.int64s(n, "axes", n.attrs().getInt("axis")))));
        r.rule("Pad", ArrayExports::pad);
        r.rule("ZerosLike", (n, w) -> filledLike(n, w, 0));
        r.rule("OnesLike", (n, w) -> filledLike(n, w, 1));
    }

    /**
     * Reshape with the target as an int64 initializer: the inferred output shape when it is fully known, else the
     * attribute (-1 for the inferred dimension). Nabla's 0 is a zero-size dimension, so allowzero is set.
     */
    private static void reshape(Node n, OnnxGraphWriter w) {
        Shape out = n.outputSpec(0).shape();
        int[] target = out.isFullyDefined() ? out.dims() : n.attrs().getInts("shape");
        boolean zero = false, infer = false;
        for (int d : target) {
            zero |= d == 0;
            infer |= d < 0;
        }
        if (zero && infer) throw unsupported(n, "a target shape " + out + " with both a 0 and an inferred dimension");
        String shape = w.int64s(n, "shape", target);
        if (zero) w.result(n, "Reshape", in(w.input(n, 0), shape), attr("allowzero", 1));
        else w.result(n, "Reshape", in(w.input(n, 0), shape));
    }

    /**
     * TensorFlow's strided slice as ONNX's Slice (which clamps starts and ends as NumPy and TensorFlow do), a Squeeze
     * of the shrunk axes and an Unsqueeze of the new ones. A begin mask is the first element in the step's direction
     * (0, or INT64_MAX clamped to the last), an end mask past the last (INT64_MAX, or INT64_MIN clamped to -1).
     */
    private static void stridedSlice(Node n, OnnxGraphWriter w) {
        var a = n.attrs();
        int[] begin = a.getInts("begin"), end = a.getInts("end"), strides = a.getInts("strides");
        int beginMask = a.getInt("beginMask"), endMask = a.getInt("endMask"), ellipsis = a.getInt("ellipsisMask");
        int newAxis = a.getInt("newAxisMask"), shrink = a.getInt("shrinkAxisMask");
        int rank = n.inputs().get(0).spec().shape().rank();
        int consuming = 0;
        for (int i = 0; i < begin.length; i++) if (!bit(ellipsis, i) && !bit(newAxis, i)) consuming++;
        List<Long> axes = new ArrayList<>(), starts = new ArrayList<>(), ends = new ArrayList<>(),
                steps = new ArrayList<>();
        List<Integer> squeezed = new ArrayList<>(), inserted = new ArrayList<>();
        int d = 0, k = 0;
        for (int i = 0; i < begin.length; i++) {
            if (bit(ellipsis, i)) {
                int span = rank - consuming;
                d += span;
                k += span;
            } else if (bit(newAxis, i)) {
                inserted.add(k++);
            } else if (bit(shrink, i)) {
                axes.add((long) d);
                starts.add((long) begin[i]);
                ends.add(begin[i] == -1 ? Long.MAX_VALUE : begin[i] + 1L);
                steps.add(1L);
                squeezed.add(d++);
            } else {
                boolean up = strides[i] > 0;
                axes.add((long) d++);
                starts.add(bit(beginMask, i) ? (up ? 0 : Long.MAX_VALUE) : begin[i]);
                ends.add(bit(endMask, i) ? (up ? Long.MAX_VALUE : Long.MIN_VALUE) : end[i]);
                steps.add((long) strides[i]);
                k++;
            }
        }
        String x = w.input(n, 0);
        boolean last = squeezed.isEmpty() && inserted.isEmpty();
        if (!axes.isEmpty()) {
            List<String> inputs = in(x, w.int64s(n, "starts", longs(starts)), w.int64s(n, "ends", longs(ends)),
                    w.int64s(n, "axes", longs(axes)), w.int64s(n, "steps", longs(steps)));
            if (last) {
                w.result(n, "Slice", inputs);
                return;
            }
            x = w.temp(n, "Slice", inputs);
        }
        if (!squeezed.isEmpty()) {
            List<String> inputs = in(x, w.int64s(n, "squeezed", squeezed.stream().mapToInt(Integer::intValue)
                    .toArray()));
            if (inserted.isEmpty()) {
                w.result(n, "Squeeze", inputs);
                return;
            }
            x = w.temp(n, "Squeeze", inputs);
        }
        if (!inserted.isEmpty()) {
            w.result(n, "Unsqueeze", in(x, w.int64s(n, "inserted", inserted.stream().mapToInt(Integer::intValue)
                    .toArray())));
        } else {
            w.result(n, "Identity", in(x));
        }
    }

    private static boolean bit(int mask, int i) { return (mask >>> i & 1) != 0; }

    private static long[] longs(List<Long> l) { return l.stream().mapToLong(Long::longValue).toArray(); }

    /** Input {@code i} of {@code n} as int64 (a Cast unless it is int64). */
    private static String int64(Node n, OnnxGraphWriter w, int i) {
        if (n.inputs().get(i).spec().dtype() == DType.INT64) return w.input(n, i);
        return w.temp(n, "Cast", in(w.input(n, i)), attr("to", OnnxTypes.toOnnx(DType.INT64)));
    }

    /**
     * Sort (values) and Argsort (int32 indices) as ONNX's TopK of the whole axis, which keeps equal elements in index
     * order as Nabla's stable sort does; the axis size must be known.
     */
    private static void sort(Node n, OnnxGraphWriter w, boolean values) {
        int axis = n.attrs().getInt("axis");
        Shape s = n.inputs().get(0).spec().shape();
        int size = s.dim(axis < 0 ? axis + s.rank() : axis);
        if (size < 0) throw unsupported(n, "an axis of unknown size (TopK needs k)");
        String v = values ? w.output(n, 0) : w.fresh(n.name() + "/values"), idx = w.fresh(n.name() + "/indices");
        w.add(n, "TopK", in(w.input(n, 0), w.int64s(n, "k", size)), List.of(v, idx), attr("axis", axis),
                attr("largest", n.attrs().getBool("descending") ? 1 : 0), attr("sorted", 1));
        if (!values) w.result(n, "Cast", in(idx), attr("to", OnnxTypes.toOnnx(DType.INT32)));
    }

    private static void split(Node n, OnnxGraphWriter w) {
        int rank = n.inputs().get(0).spec().shape().rank();
        int axis = n.attrs().getInt("axis");
        int ax = axis < 0 ? axis + rank : axis;
        long[] sizes = new long[n.numOutputs()];
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = n.outputSpec(i).shape().dim(ax);
            if (sizes[i] < 0) throw unsupported(n, "parts of unknown size along axis " + axis);
            outs.add(w.output(n, i));
        }
        w.add(n, "Split", in(w.input(n, 0), w.int64s(n, "split", sizes)), outs, attr("axis", axis));
    }

    private static void pad(Node n, OnnxGraphWriter w) {
        int[] p = n.attrs().getInts("paddings");
        int rank = p.length / 2;
        long[] pads = new long[p.length];
        for (int i = 0; i < rank; i++) {
            pads[i] = p[2 * i];
            pads[rank + i] = p[2 * i + 1];
        }
        String mode = n.attrs().getString("mode");
        String x = w.input(n, 0), onnxPads = w.int64s(n, "pads", pads);
        switch (mode) {
            case "CONSTANT" -> w.result(n, "Pad", in(x, onnxPads, w.scalar(n, "value", n.outputSpec(0).dtype(),
                    n.attrs().getDouble("constantValue"))), attr("mode", "constant"));
            case "REFLECT" -> w.result(n, "Pad", in(x, onnxPads), attr("mode", "reflect"));
            default -> throw unsupported(n, "mode " + mode + " (ONNX pads CONSTANT and REFLECT only)");
        }
    }

    private static void filledLike(Node n, OnnxGraphWriter w, double value) {
        DType d = n.outputSpec(0).dtype();
        Tensor one = scalarVector(d, value);
        w.result(n, "ConstantOfShape", in(w.temp(n, "Shape", in(w.input(n, 0)))),
                attr("value", OnnxTensors.toProto(one, "value")));
    }

    /** A one-element 1-D tensor (ConstantOfShape's value attribute). */
    private static Tensor scalarVector(DType d, double v) {
        return org.nabla.Ops.reshape(org.nabla.Tensors.convert(v, d), 1);
    }

    static UnsupportedOnnxException unsupported(Node n, String what) {
        return new UnsupportedOnnxException("ONNX export: node '" + n.name() + "' (" + n.op().name() + ") has "
                + what + ", which has no ONNX equivalent");
    }
}
