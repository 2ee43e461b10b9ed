package org.nabla.strings;

import java.util.Collection;
import java.util.List;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.OpLibrary;
import org.nabla.ops.AttrType;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.Infer;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * The string ops (TensorFlow's {@code tf.strings}), declared once as data and run by {@link StringKernels} eagerly,
 * in graphs and in traced functions; reached through {@link Strings}. Strings are not differentiable: every op here is
 * marked so, and a gradient asked through one says so. An {@link OpLibrary} listed in nabla-core's
 * {@code META-INF/services}; the kernels register when a string op first runs.
 */
public final class StringOps implements OpLibrary {
    /** Joins the strings along axes with a separator (tf.strings.reduce_join); no axes means all. */
    public static final OpDef REDUCE_JOIN = OpDef.builder("ReduceJoin").inputs("inputs")
            .attr("axes", AttrType.INTS, new int[0])
            .attr("keepDims", AttrType.BOOL, false)
            .attr("separator", AttrType.STRING, "")
            .shape(StringOps::reduceJoinShape).notDifferentiable()
            .summary("joins the strings along the given axes (all when none), separated by separator").build();

    /** Elementwise concatenation of broadcast string tensors with a separator (tf.strings.join). */
    public static final OpDef STRING_JOIN = OpDef.builder("StringJoin").variadicInput("inputs", 1)
            .attr("separator", AttrType.STRING, "")
            .shape(StringOps::joinShape).notDifferentiable()
            .summary("the inputs' strings joined elementwise, broadcast together, separated by separator").build();

    /** Splits each string of a vector into a ragged row (tf.strings.split): values and int64 row splits. */
    public static final OpDef STRING_SPLIT = OpDef.builder("StringSplitV2").inputs("input")
            .attr("sep", AttrType.STRING, "")
            .attr("maxsplit", AttrType.INT, -1)
            .shape(StringOps::splitShape).notDifferentiable()
            .summary("each string split on sep (on runs of ASCII whitespace when empty), at most maxsplit times "
                    + "(-1: no limit): the pieces [n] and the rows' splits [rows + 1]").build();

    /** Lower case (tf.strings.lower): ASCII letters only, or all of Unicode with encoding "utf-8". */
    public static final OpDef STRING_LOWER = caseOp("StringLower");

    /** Upper case (tf.strings.upper): ASCII letters only, or all of Unicode with encoding "utf-8". */
    public static final OpDef STRING_UPPER = caseOp("StringUpper");

    /** Length of each string in bytes or UTF-8 characters (tf.strings.length), int32. */
    public static final OpDef STRING_LENGTH = OpDef.builder("StringLength").inputs("input")
            .attr("unit", AttrType.STRING, "BYTE")
            .shape((in, a) -> {
                requireString("StringLength", "input", in[0]);
                unit("StringLength", a);
                return Infer.one(DType.INT32, in[0].shape());
            }).notDifferentiable()
            .summary("the length of each string in BYTE or UTF8_CHAR units").build();

    /** Substrings by position and length in bytes or UTF-8 characters (tf.strings.substr). */
    public static final OpDef SUBSTR = OpDef.builder("Substr").inputs("input", "pos", "len")
            .attr("unit", AttrType.STRING, "BYTE")
            .shape(StringOps::substrShape).notDifferentiable()
            .summary("input[pos : pos + len] of each string (pos below 0 counts from the end; len is cut at the "
                    + "end); pos and len int32 scalars or of input's shape").build();

    /** Whether each whole string matches an RE2 pattern (tf.strings.regex_full_match with a constant pattern). */
    public static final OpDef REGEX_FULL_MATCH = OpDef.builder("StaticRegexFullMatch").inputs("input")
            .attr("pattern", AttrType.STRING)
            .shape((in, a) -> {
                requireString("StaticRegexFullMatch", "input", in[0]);
                Regexes.compile("StaticRegexFullMatch", a.getString("pattern"));
                return Infer.one(DType.BOOL, in[0].shape());
            }).notDifferentiable()
            .summary("true where the whole string matches the RE2 pattern").build();

    /** Replaces matches of an RE2 pattern (tf.strings.regex_replace with a constant pattern and rewrite). */
    public static final OpDef REGEX_REPLACE = OpDef.builder("StaticRegexReplace").inputs("input")
            .attr("pattern", AttrType.STRING)
            .attr("rewrite", AttrType.STRING)
            .attr("replaceGlobal", AttrType.BOOL, true)
            .shape((in, a) -> {
                requireString("StaticRegexReplace", "input", in[0]);
                Regexes.compile("StaticRegexReplace", a.getString("pattern"));
                Regexes.rewrite("StaticRegexReplace", a.getString("rewrite"));
                return Infer.one(DType.STRING, in[0].shape());
            }).notDifferentiable()
            .summary("each string with the first (or every, replaceGlobal) match of pattern replaced by rewrite "
                    + "(\\0 to \\9 insert groups)").build();

    /** Parses numbers (tf.strings.to_number): float32, float64, int32 or int64; text that does not parse fails. */
    public static final OpDef STRING_TO_NUMBER = OpDef.builder("StringToNumber").inputs("input")
            .attr("outType", AttrType.DTYPE, DType.FLOAT32)
            .shape((in, a) -> {
                requireString("StringToNumber", "input", in[0]);
                DType out = a.getDType("outType");
                if (out != DType.FLOAT32 && out != DType.FLOAT64 && out != DType.INT32 && out != DType.INT64) {
                    throw new OpException("StringToNumber", "outType must be float32, float64, int32 or int64, got "
                            + out);
                }
                return Infer.one(out, in[0].shape());
            }).notDifferentiable()
            .summary("each string parsed as a number of outType").build();

    /** Formats numbers and bools (tf.strings.as_string) with C printf's rules. */
    public static final OpDef AS_STRING = OpDef.builder("AsString").inputs("input")
            .attr("precision", AttrType.INT, -1)
            .attr("scientific", AttrType.BOOL, false)
            .attr("shortest", AttrType.BOOL, false)
            .attr("width", AttrType.INT, -1)
            .attr("fill", AttrType.STRING, "")
            .shape((in, a) -> {
                DType d = in[0].dtype();
                if (!d.isNumeric() && d != DType.BOOL && d != DType.STRING) {
                    throw new OpException("AsString", "cannot format " + in[0]);
                }
                if (d.isInteger() && (a.getInt("precision") > -1 || a.getBool("scientific") || a.getBool("shortest"))) {
                    throw new OpException("AsString", "precision, scientific and shortest apply to floats only, not "
                            + d);
                }
                format(a);
                return Infer.one(DType.STRING, in[0].shape());
            }).notDifferentiable()
            .summary("each number as text: %f, %e (scientific) or %g (shortest), with precision, width and a fill "
                    + "flag ('0', ' ', '-', '+'); integers %d; bools true/false").build();

    /** FarmHash Fingerprint64 of each string modulo a number of buckets (tf.strings.to_hash_bucket_fast). */
    public static final OpDef TO_HASH_BUCKET_FAST = OpDef.builder("StringToHashBucketFast").inputs("input")
            .attr("numBuckets", AttrType.INT)
            .shape((in, a) -> {
                requireString("StringToHashBucketFast", "input", in[0]);
                if (a.getInt("numBuckets") < 1) {
                    throw new OpException("StringToHashBucketFast", "numBuckets must be at least 1, got "
                            + a.getInt("numBuckets"));
                }
                return Infer.one(DType.INT64, in[0].shape());
            }).notDifferentiable()
            .summary("Fingerprint64(bytes) mod numBuckets, int64; stable across runs and machines").build();

    /** Keyed SipHash-2-4 of each string modulo a number of buckets (tf.strings.to_hash_bucket_strong). */
    public static final OpDef TO_HASH_BUCKET_STRONG = OpDef.builder("StringToHashBucketStrong").inputs("input")
            .attr("numBuckets", AttrType.INT)
            .attr("key0", AttrType.LONG)
            .attr("key1", AttrType.LONG)
            .shape((in, a) -> {
                requireString("StringToHashBucketStrong", "input", in[0]);
                if (a.getInt("numBuckets") < 1) {
                    throw new OpException("StringToHashBucketStrong", "numBuckets must be at least 1, got "
                            + a.getInt("numBuckets"));
                }
                return Infer.one(DType.INT64, in[0].shape());
            }).notDifferentiable()
            .summary("SipHash-2-4(key0, key1; bytes) mod numBuckets, int64: buckets an adversary cannot aim at "
                    + "without the key").build();

    private static final List<OpDef> ALL = List.of(REDUCE_JOIN, STRING_JOIN, STRING_SPLIT, STRING_LOWER,
            STRING_UPPER, STRING_LENGTH, SUBSTR, REGEX_FULL_MATCH, REGEX_REPLACE, STRING_TO_NUMBER, AS_STRING,
            TO_HASH_BUCKET_FAST, TO_HASH_BUCKET_STRONG);

    @Override
    public Collection<OpDef> ops() { return ALL; }

    /** No gradients: every string op is declared not differentiable. */
    @Override
    public void registerGradients(GradientRegistry gradients) {}

    /** The kernels register when a string op first runs: programs without strings load none of them. */
    @Override
    public void registerKernels(KernelRegistry r) { r.registerOnFirstUse(StringOps.class, StringKernels::register); }

    // ---------------------------------------------------------------- shapes

    private static OpDef caseOp(String name) {
        return OpDef.builder(name).inputs("input")
                .attr("encoding", AttrType.STRING, "")
                .shape((in, a) -> {
                    requireString(name, "input", in[0]);
                    String e = a.getString("encoding");
                    if (!e.isEmpty() && !e.equalsIgnoreCase("utf-8")) {
                        throw new OpException(name, "encoding must be '' (ASCII letters only) or 'utf-8', got '" + e
                                + "'");
                    }
                    return Infer.one(DType.STRING, in[0].shape());
                }).notDifferentiable()
                .summary((name.endsWith("Lower") ? "lower" : "upper") + " case: ASCII letters, or Unicode with "
                        + "encoding utf-8").build();
    }

    static void requireString(String op, String input, TensorSpec spec) {
        if (spec.dtype() != DType.STRING) {
            throw new OpException(op, "input '" + input + "' must be a string tensor, got " + spec
                    + (spec.dtype().isNumeric() ? "; format numbers with Strings.asString" : ""));
        }
    }

    /** The "unit" attribute: true for UTF8_CHAR, false for BYTE. */
    static boolean unit(String op, Attrs a) {
        String u = a.getString("unit");
        if (u.equals("BYTE")) return false;
        if (u.equals("UTF8_CHAR")) return true;
        throw new OpException(op, "unit must be BYTE or UTF8_CHAR, got '" + u + "'");
    }

    static NumberText.Format format(Attrs a) {
        try {
            return new NumberText.Format(a.getInt("precision"), a.getBool("scientific"), a.getBool("shortest"),
                    a.getInt("width"), a.getString("fill"));
        } catch (IllegalArgumentException e) {
            throw new OpException("AsString", e.getMessage().replace("AsString: ", ""));
        }
    }

    /** The reduced axes, normalized and sorted; all axes when the attribute is empty. */
    static boolean[] reducedAxes(String op, int rank, int[] axes) {
        boolean[] r = new boolean[rank];
        if (axes.length == 0) java.util.Arrays.fill(r, true);
        for (int ax : axes) {
            int k = ax < 0 ? ax + rank : ax;
            if (k < 0 || k >= rank) throw new OpException(op, "axis " + ax + " is out of range for rank " + rank);
            if (r[k]) throw new OpException(op, "axis " + ax + " is given twice");
            r[k] = true;
        }
        return r;
    }

    private static TensorSpec[] reduceJoinShape(TensorSpec[] in, Attrs a) {
        requireString("ReduceJoin", "inputs", in[0]);
        Shape s = in[0].shape();
        boolean[] r = reducedAxes("ReduceJoin", s.rank(), a.getInts("axes"));
        boolean keep = a.getBool("keepDims");
        int[] d = s.dims();
        int[] out = new int[s.rank()];
        int k = 0;
        for (int i = 0; i < d.length; i++) {
            if (!r[i]) out[k++] = d[i];
            else if (keep) out[k++] = 1;
        }
        return Infer.one(DType.STRING, Shape.of(java.util.Arrays.copyOf(out, k)));
    }

    private static TensorSpec[] joinShape(TensorSpec[] in, Attrs a) {
        Shape s = in[0].shape();
        for (int i = 0; i < in.length; i++) {
            requireString("StringJoin", "inputs[" + i + "]", in[i]);
            if (i > 0) s = Infer.broadcast("StringJoin", s, in[i].shape());
        }
        return Infer.one(DType.STRING, s);
    }

    private static TensorSpec[] splitShape(TensorSpec[] in, Attrs a) {
        requireString("StringSplitV2", "input", in[0]);
        if (in[0].shape().rank() != 1) {
            throw new OpException("StringSplitV2", "input must be a vector of strings, got " + in[0]
                    + " (reshape it to [-1] and the rows back afterwards)");
        }
        int rows = in[0].shape().dim(0);
        return new TensorSpec[] {new TensorSpec(DType.STRING, Shape.of(Shape.UNKNOWN)),
            new TensorSpec(DType.INT64, Shape.of(rows == Shape.UNKNOWN ? Shape.UNKNOWN : rows + 1))};
    }

    private static TensorSpec[] substrShape(TensorSpec[] in, Attrs a) {
        requireString("Substr", "input", in[0]);
        unit("Substr", a);
        for (int i = 1; i <= 2; i++) {
            String name = i == 1 ? "pos" : "len";
            Infer.requireDType("Substr", name, in[i], DType.INT32);
            if (in[i].shape().rank() != 0 && !in[i].shape().isCompatibleWith(in[0].shape())) {
                throw new OpException("Substr", name + " must be a scalar or of input's shape " + in[0].shape()
                        + ", got " + in[i].shape());
            }
        }
        return Infer.one(DType.STRING, in[0].shape());
    }
}
