package org.nabla.onnx;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.ops.Attrs;
import org.nabla.ragged.RaggedTensor;
import org.nabla.strings.Strings;

/**
 * Import rules of ONNX's string operators (StringConcat, StringSplit, RegexFullMatch, StringNormalizer, Cast from
 * strings) and of ai.onnx.ml's LabelEncoder, written with {@link Strings} and core ops so they run in graphs.
 */
final class StringRules {
    private StringRules() {}

    static void register(OnnxOperators r) {
        r.binary("StringConcat", (a, b) -> Strings.concat(List.of(a, b), ""));
        r.one("RegexFullMatch", n -> Strings.regexFullMatch(n.required(0), n.attrString("pattern", "")));
        r.rule("StringSplit", StringRules::split);
        r.one("StringNormalizer", n -> {
            List<String> stop = n.attrStrings("stopwords", List.of());
            return Ops.run(StringNormalizerOp.OP, Attrs.of("caseChange", n.attrString("case_change_action", "NONE"),
                    "caseSensitive", n.attrInt("is_case_sensitive", 0) != 0), n.required(0),
                    Tensors.of(stop.toArray(String[]::new)));
        });
        r.one("ai.onnx.ml:LabelEncoder", StringRules::labelEncoder);
    }

    /**
     * ONNX Cast, which also parses strings to numbers (plain or scientific notation, "inf", "nan"); numbers to
     * strings are not imported (ONNX leaves their formatting to the runtime).
     */
    static Tensor cast(Tensor x, DType to) {
        if (x.dtype() == DType.STRING && to != DType.STRING) {
            if (to == DType.BOOL) throw new UnsupportedOnnxException("Cast from string to bool is not supported");
            boolean floating = to.isFloating();
            Tensor parsed = Strings.toNumber(x, floating ? DType.FLOAT64 : DType.INT64);
            return Ops.cast(parsed, to);
        }
        if (to == DType.STRING && x.dtype() != DType.STRING) {
            throw new UnsupportedOnnxException("Cast from " + x.dtype() + " to string is not supported");
        }
        return Ops.cast(x, to);
    }

    /** Y: X's shape + [longest split] padded with ""; Z: the number of pieces of each string (int64). */
    private static List<Tensor> split(OnnxNode n) {
        Tensor x = n.required(0);
        if (!x.shape().isFullyDefined()) throw n.unsupported("the input's shape " + x.shape() + " must be known");
        int maxsplit = (int) n.attrInt("maxsplit", -1);
        RaggedTensor r = Strings.split(Ops.reshape(x, -1), n.attrString("delimiter", ""), maxsplit);
        Tensor splits = r.rowSplits();
        Tensor counts = Ops.sub(Ops.stridedSlice(splits, new int[] {1}, new int[] {0}, new int[] {1}, 0, 1, 0, 0, 0),
                Ops.stridedSlice(splits, new int[] {0}, new int[] {-1}, new int[] {1}));
        Tensor padded = r.toTensor("");
        int[] dims = x.shape().dims();
        int[] yDims = java.util.Arrays.copyOf(dims, dims.length + 1);
        yDims[dims.length] = -1;
        if (x.size() == 0) { // reshape cannot infer the last axis of an empty tensor
            yDims[dims.length] = 0;
            padded = Tensor.wrap(DType.STRING, Shape.of(0, 0), new byte[0][]);
        }
        return List.of(Ops.reshape(padded, yDims), Ops.reshape(counts, dims));
    }

    /** Each key of the input mapped to its value, the default where it has none: compare, pick, fall back. */
    private static Tensor labelEncoder(OnnxNode n) {
        Tensor x = n.required(0);
        Tensor keys = mapping(n, "keys");
        Tensor values = mapping(n, "values");
        if (keys == null || values == null) throw n.error("needs keys_* and values_* attributes");
        if (keys.size() != values.size()) {
            throw n.error(keys.size() + " keys but " + values.size() + " values");
        }
        Tensor dflt = defaultValue(n, values.dtype());
        Tensor hit = Ops.equal(Ops.expandDims(x, -1), Ops.cast(keys, x.dtype()));   // [..., K]
        Tensor index = Ops.argmax(Ops.cast(hit, DType.INT32), -1);
        return Ops.where(Ops.any(hit, -1), Ops.gather(values, index, 0), dflt);
    }

    private static Tensor mapping(OnnxNode n, String prefix) {
        if (n.hasAttr(prefix + "_tensor")) return Ops.reshape(n.attrTensor(prefix + "_tensor"), -1);
        if (n.hasAttr(prefix + "_strings")) return Tensors.of(n.attrStrings(prefix + "_strings", List.of())
                .toArray(String[]::new));
        if (n.hasAttr(prefix + "_int64s")) {
            long[] v = n.attrLongs(prefix + "_int64s", new long[0]);
            return Tensors.of(v, v.length);
        }
        if (n.hasAttr(prefix + "_floats")) {
            float[] v = n.attrFloats(prefix + "_floats", new float[0]);
            return Tensors.of(v, v.length);
        }
        return null;
    }

    /** default_tensor, or default_string / default_int64 / default_float with ONNX's defaults ("_Unused", -1, -0). */
    private static Tensor defaultValue(OnnxNode n, DType dtype) {
        if (n.hasAttr("default_tensor")) return Ops.reshape(n.attrTensor("default_tensor"), new int[0]);
        return switch (dtype) {
            case STRING -> Tensor.wrap(DType.STRING, Shape.SCALAR, new byte[][] {
                n.attrString("default_string", "_Unused").getBytes(StandardCharsets.UTF_8)});
            case INT64 -> Tensors.scalar(n.attrInt("default_int64", -1));
            case FLOAT32 -> Tensors.scalar((float) n.attrFloat("default_float", -0.0));
            default -> throw n.unsupported("values of dtype " + dtype);
        };
    }
}
