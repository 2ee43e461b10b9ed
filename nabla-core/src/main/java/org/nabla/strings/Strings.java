package org.nabla.strings;

import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.ops.Attrs;
import org.nabla.ragged.RaggedTensor;

/**
 * The front door of the string ops, as TensorFlow's {@code tf.strings}: each method runs one op of
 * {@link StringOps}, eagerly or into the graph being built. Strings are bytes (UTF-8 by convention); units say
 * whether lengths and positions count bytes ({@link #BYTE}) or UTF-8 characters ({@link #UTF8_CHAR}).
 */
public final class Strings {
    private Strings() {}

    /** Lengths and positions in bytes. */
    public static final String BYTE = "BYTE";

    /** Lengths and positions in UTF-8 characters. */
    public static final String UTF8_CHAR = "UTF8_CHAR";

    /** All strings of {@code x} joined into one scalar with {@code separator} (tf.strings.reduce_join, axis None). */
    public static Tensor join(Tensor x, String separator) {
        return Ops.run(StringOps.REDUCE_JOIN, Attrs.of("separator", separator), x);
    }

    /** The strings joined along {@code axis} with {@code separator} (tf.strings.reduce_join). */
    public static Tensor join(Tensor x, int axis, String separator) {
        return join(x, new int[] {axis}, false, separator);
    }

    /** The strings joined along {@code axes}, optionally keeping them with size 1 (tf.strings.reduce_join). */
    public static Tensor join(Tensor x, int[] axes, boolean keepDims, String separator) {
        return Ops.run(StringOps.REDUCE_JOIN, Attrs.of("axes", axes.clone(), "keepDims", keepDims, "separator",
                separator), x);
    }

    /** Elementwise concatenation of broadcast string tensors, separated by {@code separator} (tf.strings.join). */
    public static Tensor concat(List<?> inputs, String separator) {
        Tensor[] t = inputs.stream().map(v -> Tensors.convert(v, DType.STRING)).toArray(Tensor[]::new);
        return Ops.run(StringOps.STRING_JOIN, Attrs.of("separator", separator), t);
    }

    /** Elementwise concatenation of broadcast string tensors with no separator (tf.strings.join). */
    public static Tensor concat(Tensor... inputs) { return concat(List.of((Object[]) inputs), ""); }

    /** Each string of a vector split on runs of ASCII whitespace, as a ragged tensor of strings. */
    public static RaggedTensor split(Tensor x) { return split(x, "", -1); }

    /**
     * Each string of a vector split on {@code sep} (on whitespace runs when empty), at most {@code maxsplit} times
     * (-1: no limit), as a ragged tensor: one row per string (tf.strings.split).
     */
    public static RaggedTensor split(Tensor x, String sep, int maxsplit) {
        Tensor[] out = Ops.runMulti(StringOps.STRING_SPLIT, Attrs.of("sep", sep, "maxsplit", maxsplit), x);
        return RaggedTensor.fromRowSplits(out[0], out[1]);
    }

    /** ASCII letters in lower case (tf.strings.lower). */
    public static Tensor lower(Tensor x) { return lower(x, ""); }

    /** Lower case: ASCII letters only with encoding "", all of Unicode with "utf-8". */
    public static Tensor lower(Tensor x, String encoding) {
        return Ops.run(StringOps.STRING_LOWER, Attrs.of("encoding", encoding), x);
    }

    /** ASCII letters in upper case (tf.strings.upper). */
    public static Tensor upper(Tensor x) { return upper(x, ""); }

    /** Upper case: ASCII letters only with encoding "", all of Unicode with "utf-8". */
    public static Tensor upper(Tensor x, String encoding) {
        return Ops.run(StringOps.STRING_UPPER, Attrs.of("encoding", encoding), x);
    }

    /** Each string's length in bytes, int32 (tf.strings.length). */
    public static Tensor length(Tensor x) { return length(x, BYTE); }

    /** Each string's length in {@link #BYTE} or {@link #UTF8_CHAR} units, int32. */
    public static Tensor length(Tensor x, String unit) {
        return Ops.run(StringOps.STRING_LENGTH, Attrs.of("unit", unit), x);
    }

    /** {@code x[pos : pos + len]} of each string in bytes (tf.strings.substr); pos below 0 counts from the end. */
    public static Tensor substr(Tensor x, int pos, int len) { return substr(x, pos, len, BYTE); }

    /** {@code x[pos : pos + len]} of each string in {@link #BYTE} or {@link #UTF8_CHAR} units. */
    public static Tensor substr(Tensor x, int pos, int len, String unit) {
        return substr(x, Tensors.scalar(pos), Tensors.scalar(len), unit);
    }

    /** Substrings with per-element int32 positions and lengths (scalars or of {@code x}'s shape). */
    public static Tensor substr(Tensor x, Tensor pos, Tensor len, String unit) {
        return Ops.run(StringOps.SUBSTR, Attrs.of("unit", unit), x, pos, len);
    }

    /** Whether each whole string matches the RE2 {@code pattern} (tf.strings.regex_full_match). */
    public static Tensor regexFullMatch(Tensor x, String pattern) {
        return Ops.run(StringOps.REGEX_FULL_MATCH, Attrs.of("pattern", pattern), x);
    }

    /**
     * Every match of the RE2 {@code pattern} replaced by {@code rewrite}, where {@code \0} to {@code \9} insert
     * groups (tf.strings.regex_replace).
     */
    public static Tensor regexReplace(Tensor x, String pattern, String rewrite) {
        return regexReplace(x, pattern, rewrite, true);
    }

    /** The first match ({@code global} false) or every match of {@code pattern} replaced by {@code rewrite}. */
    public static Tensor regexReplace(Tensor x, String pattern, String rewrite, boolean global) {
        return Ops.run(StringOps.REGEX_REPLACE, Attrs.of("pattern", pattern, "rewrite", rewrite, "replaceGlobal",
                global), x);
    }

    /** Each string parsed as a float32 (tf.strings.to_number); text that is not a number fails. */
    public static Tensor toNumber(Tensor x) { return toNumber(x, DType.FLOAT32); }

    /** Each string parsed as {@code outType}: float32, float64, int32 or int64. */
    public static Tensor toNumber(Tensor x, DType outType) {
        return Ops.run(StringOps.STRING_TO_NUMBER, Attrs.of("outType", outType), x);
    }

    /** Numbers and bools as text with printf's defaults: floats {@code %f} (6 decimals), integers {@code %d}. */
    public static Tensor asString(Tensor x) { return asString(x, -1, false, false, -1, ""); }

    /**
     * Numbers as text (tf.strings.as_string): {@code precision} decimals (-1: 6), {@code scientific} ({@code %e})
     * or {@code shortest} ({@code %g}), padded to {@code width} (-1: none) with the {@code fill} flag
     * ("", " ", "0", "-" to left-justify, "+" to sign).
     */
    public static Tensor asString(Tensor x, int precision, boolean scientific, boolean shortest, int width,
                                  String fill) {
        return Ops.run(StringOps.AS_STRING, Attrs.of("precision", precision, "scientific", scientific, "shortest",
                shortest, "width", width, "fill", fill), x);
    }

    /** FarmHash Fingerprint64 of each string modulo {@code numBuckets}, int64 (tf.strings.to_hash_bucket_fast). */
    public static Tensor toHashBucketFast(Tensor x, int numBuckets) {
        return Ops.run(StringOps.TO_HASH_BUCKET_FAST, Attrs.of("numBuckets", numBuckets), x);
    }

    /**
     * Keyed SipHash-2-4 of each string modulo {@code numBuckets}, int64 (tf.strings.to_hash_bucket_strong with
     * {@code key = [key0, key1]}): use a random, secret key where inputs may be hostile.
     */
    public static Tensor toHashBucketStrong(Tensor x, int numBuckets, long key0, long key1) {
        return Ops.run(StringOps.TO_HASH_BUCKET_STRONG, Attrs.of("numBuckets", numBuckets, "key0", key0, "key1",
                key1), x);
    }
}
