package org.nabla.nn;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.data.text.TextVectorizer;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.OpLibrary;
import org.nabla.ops.AttrType;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * Ops of Keras' lookup layers ({@code TextVectorization}, {@code StringLookup}, {@code IntegerLookup}), with their
 * CPU kernels (an {@link OpLibrary} listed in nabla-nn's services). The vocabulary is an attribute (a string or
 * int64 tensor in the layer's {@code get_vocabulary()} order), so a traced or saved graph carries it:
 * <ul>
 * <li>{@code TextVectorize(input)}: texts [N] (or [N, 1]) standardized and split as {@link TextVectorizer} does
 *     (Keras' defaults; or as the {@code standardize} and {@code split} attributes say), joined into the
 *     {@code ngrams} widths' n-grams when given ({@link TextSplitting}), each token replaced by its index ({@code oovIndex} when absent); output mode {@code INT}:
 *     int64 ids [N, sequenceLength] padded with 0 (0: as long as the longest text), else float32 [N, V].</li>
 * <li>{@code IndexLookup(input)}: each string or integer replaced by its index; {@code INT}: int64 of the input's
 *     shape; {@code ONE_HOT}: float32 [..., V] (a last dim of 1 replaced); else float32 [N, V] over each row (a
 *     vector: one element per row).</li>
 * </ul>
 * The other output modes: {@code MULTI_HOT} (1 where an index occurs), {@code COUNT} (how often) and
 * {@code TF_IDF} (count times the {@code idf} weight of the index). A value outside the vocabulary gets one of the
 * {@code numOovIndices} indices from {@code oovIndex} on (Keras' {@code num_oov_indices}): the first when there is
 * one, its {@link OovBuckets} bucket ({@code oovMethod}, {@code salt0/1}) when there are more, an error when there
 * are none. As in Keras' table, the oov token itself is such a value (it is hashed too). Not differentiable.
 */
public final class LookupOps implements OpLibrary {
    /** Made by the op library loader (ServiceLoader). */
    public LookupOps() {}

    /** The output modes, as the ops' {@code outputMode} attribute spells them. */
    public static final List<String> MODES = List.of("INT", "ONE_HOT", "MULTI_HOT", "COUNT", "TF_IDF");

    /** Texts to token ids or bags of tokens. */
    public static final OpDef TEXT_VECTORIZE = OpDef.builder("TextVectorize").inputs("input")
            .attr("vocabulary", AttrType.TENSOR)
            .attr("oovIndex", AttrType.INT, 1)
            .attr("numOovIndices", AttrType.INT, 1)
            .attr("oovMethod", AttrType.STRING, "FARMHASH")
            .attr("salt0", AttrType.LONG, 0L)
            .attr("salt1", AttrType.LONG, 0L)
            .attr("outputMode", AttrType.STRING, "INT")
            .attr("sequenceLength", AttrType.INT, 0)
            .attr("idf", AttrType.FLOATS, new double[0])
            .attr("ngrams", AttrType.INTS, new int[0])
            .attr("standardize", AttrType.STRING, "LOWER_AND_STRIP_PUNCTUATION")
            .attr("split", AttrType.STRING, "WHITESPACE")
            .shape(LookupOps::textShape).notDifferentiable()
            .summary("texts [N] standardized (ASCII lowercase, punctuation stripped), split on whitespace and looked "
                    + "up in the vocabulary: int64 ids [N, sequenceLength] or a float32 bag [N, V]").build();

    /** Strings or integers to their vocabulary indices, or bags of them. */
    public static final OpDef INDEX_LOOKUP = OpDef.builder("IndexLookup").inputs("input")
            .attr("vocabulary", AttrType.TENSOR)
            .attr("oovIndex", AttrType.INT, 0)
            .attr("numOovIndices", AttrType.INT, 1)
            .attr("oovMethod", AttrType.STRING, "FARMHASH")
            .attr("salt0", AttrType.LONG, 0L)
            .attr("salt1", AttrType.LONG, 0L)
            .attr("outputMode", AttrType.STRING, "INT")
            .attr("idf", AttrType.FLOATS, new double[0])
            .shape(LookupOps::lookupShape).notDifferentiable()
            .summary("each string or integer's index in the vocabulary (oovIndex when absent), as int64 or as a "
                    + "float32 one-hot, multi-hot, count or tf-idf encoding").build();

    @Override
    public Collection<OpDef> ops() { return List.of(TEXT_VECTORIZE, INDEX_LOOKUP); }

    @Override
    public void registerKernels(KernelRegistry r) {
        r.register(TEXT_VECTORIZE, CpuDevice.TYPE, DType.STRING, LookupOps::textVectorize);
        for (DType d : List.of(DType.STRING, DType.INT64)) r.register(INDEX_LOOKUP, CpuDevice.TYPE, d, LookupOps::lookup);
    }

    /** Texts through {@code TextVectorize} (see the class comment); {@code mode} one of {@link #MODES} but ONE_HOT. */
    public static Tensor textVectorize(Tensor texts, Tensor vocabulary, int oovIndex, String mode, int sequenceLength,
                                       double[] idf) {
        return textVectorize(texts, vocabulary, oovIndex, mode, sequenceLength, idf, "LOWER_AND_STRIP_PUNCTUATION",
                "WHITESPACE", new int[0]);
    }

    /**
     * {@link #textVectorize(Tensor, Tensor, int, String, int, double[])} with Keras' other preprocessing options
     * ({@link TextSplitting}): the standardization, the split and the n-gram widths.
     */
    public static Tensor textVectorize(Tensor texts, Tensor vocabulary, int oovIndex, String mode, int sequenceLength,
                                       double[] idf, String standardize, String split, int[] ngrams) {
        return textVectorize(texts, vocabulary, oovIndex, mode, sequenceLength, idf, standardize, split, ngrams,
                OovBuckets.ONE);
    }

    /**
     * {@link #textVectorize(Tensor, Tensor, int, String, int, double[], String, String, int[])} with {@code oov}'s
     * out-of-vocabulary indices from {@code oovIndex} on.
     */
    public static Tensor textVectorize(Tensor texts, Tensor vocabulary, int oovIndex, String mode, int sequenceLength,
                                       double[] idf, String standardize, String split, int[] ngrams,
                                       OovBuckets oov) {
        return Ops.run(TEXT_VECTORIZE, oov.addTo(Attrs.of("vocabulary", vocabulary, "oovIndex", oovIndex,
                "outputMode", mode, "sequenceLength", sequenceLength, "idf", idf, "ngrams", ngrams, "standardize",
                standardize, "split", split)), texts);
    }

    /** Values through {@code IndexLookup} (see the class comment), one oov index. */
    public static Tensor indexLookup(Tensor values, Tensor vocabulary, int oovIndex, String mode, double[] idf) {
        return indexLookup(values, vocabulary, oovIndex, mode, idf, OovBuckets.ONE);
    }

    /** Values through {@code IndexLookup} with {@code oov}'s out-of-vocabulary indices from {@code oovIndex} on. */
    public static Tensor indexLookup(Tensor values, Tensor vocabulary, int oovIndex, String mode, double[] idf,
                                     OovBuckets oov) {
        return Ops.run(INDEX_LOOKUP, oov.addTo(Attrs.of("vocabulary", vocabulary, "oovIndex", oovIndex, "outputMode",
                mode, "idf", idf)), values);
    }

    // ---------------------------------------------------------------- shapes

    private static TensorSpec[] textShape(TensorSpec[] in, Attrs a) {
        Shape s = in[0].shape();
        if (in[0].dtype() != DType.STRING) throw new OpException("TextVectorize", "input must be string, got " + in[0]);
        if (s.rank() != 1 && !(s.rank() == 2 && s.dim(1) == 1)) {
            throw new OpException("TextVectorize", "input must be texts [batch] or [batch, 1], got shape " + s);
        }
        String mode = mode("TextVectorize", a, false);
        if (!TextSplitting.STANDARDIZE.contains(a.getString("standardize"))
                || !TextSplitting.SPLIT.contains(a.getString("split"))) {
            throw new OpException("TextVectorize", "standardize must be one of " + TextSplitting.STANDARDIZE
                    + " and split one of " + TextSplitting.SPLIT + ", got " + a.getString("standardize") + ", "
                    + a.getString("split"));
        }
        OovBuckets.check("TextVectorize", a, true);
        int depth = vocabulary("TextVectorize", a, DType.STRING);
        if (mode.equals("INT")) {
            int length = a.getInt("sequenceLength");
            if (length < 0) throw new OpException("TextVectorize", "sequenceLength must be >= 0, got " + length);
            return new TensorSpec[] {new TensorSpec(DType.INT64, Shape.of(s.dim(0), length == 0 ? -1 : length))};
        }
        checkIdf("TextVectorize", a, mode, depth);
        return new TensorSpec[] {new TensorSpec(DType.FLOAT32, Shape.of(s.dim(0), depth))};
    }

    private static TensorSpec[] lookupShape(TensorSpec[] in, Attrs a) {
        Shape s = in[0].shape();
        Tensor vocab = (Tensor) a.asMap().get("vocabulary");
        DType want = vocab == null ? in[0].dtype() : vocab.dtype();
        if (in[0].dtype() != want) {
            throw new OpException("IndexLookup", "input must be " + want + " like the vocabulary, got " + in[0]);
        }
        String mode = mode("IndexLookup", a, true);
        OovBuckets.check("IndexLookup", a, want == DType.STRING);
        int depth = vocabulary("IndexLookup", a, want);
        if (mode.equals("INT")) return new TensorSpec[] {new TensorSpec(DType.INT64, s)};
        if (mode.equals("ONE_HOT")) {
            int[] d = s.rank() > 0 && s.dim(-1) == 1 ? s.dims() : java.util.Arrays.copyOf(s.dims(), s.rank() + 1);
            d[d.length - 1] = depth;
            return new TensorSpec[] {new TensorSpec(DType.FLOAT32, Shape.of(d))};
        }
        if (s.rank() != 1 && s.rank() != 2) {
            throw new OpException("IndexLookup", mode + " needs a vector or a matrix [batch, values], got " + s);
        }
        checkIdf("IndexLookup", a, mode, depth);
        return new TensorSpec[] {new TensorSpec(DType.FLOAT32, Shape.of(s.dim(0), depth))};
    }

    private static String mode(String op, Attrs a, boolean oneHot) {
        String m = a.getString("outputMode");
        if (!MODES.contains(m) || (!oneHot && m.equals("ONE_HOT"))) {
            throw new OpException(op, "outputMode must be one of " + (oneHot ? MODES : MODES.stream()
                    .filter(x -> !x.equals("ONE_HOT")).toList()) + ", got " + m);
        }
        return m;
    }

    private static int vocabulary(String op, Attrs a, DType dtype) {
        Tensor v = (Tensor) a.asMap().get("vocabulary");
        if (v == null || v.shape().rank() != 1 || v.dtype() != dtype || v.shape().dim(0) < 1) {
            throw new OpException(op, "vocabulary must be a non-empty " + dtype + " vector, got "
                    + (v == null ? "none" : v.spec()));
        }
        int oov = a.getInt("oovIndex"), count = a.getInt("numOovIndices");
        if (oov < 0 || oov + count > v.shape().dim(0)) {
            throw new OpException(op, "oov indices " + oov + " to " + (oov + count - 1) + " are outside the "
                    + "vocabulary of " + v.shape().dim(0));
        }
        return v.shape().dim(0);
    }

    private static void checkIdf(String op, Attrs a, String mode, int depth) {
        int n = a.getDoubles("idf").length;
        if (mode.equals("TF_IDF") ? n != depth : n != 0) {
            throw new OpException(op, (mode.equals("TF_IDF") ? "TF_IDF needs one idf weight per vocabulary "
                    + "entry (" + depth + "), got " + n : "idf weights are only for TF_IDF"));
        }
    }

    // ---------------------------------------------------------------- kernels

    /** Token to index maps by vocabulary tensor (an attribute: one object per node), so a graph builds one once. */
    private static final Map<Tensor, Map<Object, Integer>> INDEXES = Collections.synchronizedMap(new WeakHashMap<>());

    private static Map<Object, Integer> index(Tensor vocabulary) {
        return INDEXES.computeIfAbsent(vocabulary, v -> {
            Object[] keys = v.dtype() == DType.STRING ? v.toStringArray()
                    : java.util.Arrays.stream(v.toLongArray()).boxed().toArray();
            Map<Object, Integer> m = new HashMap<>(keys.length * 2);
            for (int i = keys.length - 1; i >= 0; i--) m.put(keys[i], i);   // a repeated entry: its first index
            return m;
        });
    }

    private static Tensor[] textVectorize(KernelContext ctx) {
        Attrs a = ctx.attrs();
        LookupIndexer indexer = new LookupIndexer(index((Tensor) a.asMap().get("vocabulary")), a);
        byte[][] texts = ctx.input(0).toBytesArray();
        int[][] rows = new int[texts.length][];
        for (int r = 0; r < texts.length; r++) {
            List<String> tokens = TextSplitting.tokens(new String(texts[r], StandardCharsets.UTF_8),
                    a.getString("standardize"), a.getString("split"), a.getInts("ngrams"));
            // the mask token "" (a whole empty text when not split) is left out of bags, as Keras drops it there
            if (!a.getString("outputMode").equals("INT")) tokens = tokens.stream().filter(t -> !t.isEmpty()).toList();
            rows[r] = new int[tokens.size()];
            for (int i = 0; i < rows[r].length; i++) rows[r][i] = indexer.of(tokens.get(i));
        }
        indexer.requireAllFound("TextVectorize");
        String mode = a.getString("outputMode");
        int depth = ((Tensor) a.asMap().get("vocabulary")).shape().dim(0);
        if (!mode.equals("INT")) return new Tensor[] {bags(rows, mode, a.getDoubles("idf"), depth)};
        int length = a.getInt("sequenceLength");
        if (length == 0) for (int[] row : rows) length = Math.max(length, row.length);
        long[] ids = new long[Math.multiplyExact(rows.length, length)];
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < Math.min(length, rows[r].length); i++) ids[r * length + i] = rows[r][i];
        }
        return new Tensor[] {Tensor.wrap(DType.INT64, Shape.of(rows.length, length), ids)};
    }

    private static Tensor[] lookup(KernelContext ctx) {
        Attrs a = ctx.attrs();
        Tensor vocabulary = (Tensor) a.asMap().get("vocabulary");
        LookupIndexer indexer = new LookupIndexer(index(vocabulary), a);
        int depth = vocabulary.shape().dim(0);
        Tensor x = ctx.input(0);
        int[] ids;
        if (x.dtype() == DType.STRING) {
            byte[][] values = x.toBytesArray();
            ids = new int[values.length];
            for (int i = 0; i < ids.length; i++) ids[i] = indexer.of(values[i]);
        } else {
            long[] values = x.toLongArray();
            ids = new int[values.length];
            for (int i = 0; i < ids.length; i++) ids[i] = indexer.of(values[i]);
        }
        indexer.requireAllFound("IndexLookup");
        String mode = a.getString("outputMode");
        Shape out = ctx.outputSpec(0).shape();
        switch (mode) {
            case "INT" -> {
                return new Tensor[] {Tensor.wrap(DType.INT64, x.shape(), java.util.Arrays.stream(ids)
                        .asLongStream().toArray())};
            }
            case "ONE_HOT" -> {
                float[] hot = new float[Math.multiplyExact(ids.length, depth)];
                for (int i = 0; i < ids.length; i++) hot[i * depth + ids[i]] = 1;
                int[] d = out.dims();
                System.arraycopy(x.shape().dims(), 0, d, 0, d.length - 1);
                return new Tensor[] {Tensor.wrap(DType.FLOAT32, Shape.of(d), hot)};
            }
            default -> {
                int per = x.shape().rank() == 1 ? 1 : x.shape().dim(1);
                int[][] rows = new int[x.shape().dim(0)][];
                for (int r = 0; r < rows.length; r++) rows[r] = java.util.Arrays.copyOfRange(ids, r * per, r * per + per);
                return new Tensor[] {bags(rows, mode, a.getDoubles("idf"), depth)};
            }
        }
    }

    /** MULTI_HOT, COUNT or TF_IDF of each row of indices: float32 [rows, depth]. */
    private static Tensor bags(int[][] rows, String mode, double[] idf, int depth) {
        float[] out = new float[Math.multiplyExact(rows.length, depth)];
        for (int r = 0; r < rows.length; r++) {
            for (int id : rows[r]) {
                if (mode.equals("MULTI_HOT")) out[r * depth + id] = 1;
                else out[r * depth + id] += 1;
            }
            if (mode.equals("TF_IDF")) for (int j = 0; j < depth; j++) out[r * depth + j] *= (float) idf[j];
        }
        return Tensor.wrap(DType.FLOAT32, Shape.of(rows.length, depth), out);
    }

    /** {@code mode} in upper case if it is one of {@link #MODES}, else an exception naming them (for layers). */
    public static String checkMode(String who, String mode, boolean oneHot) {
        String m = mode == null ? "" : mode.toUpperCase(Locale.ROOT);
        if (!MODES.contains(m) || (!oneHot && m.equals("ONE_HOT"))) {
            throw new IllegalArgumentException(who + ": output mode must be int, " + (oneHot ? "one_hot, " : "")
                    + "multi_hot, count or tf_idf, got \"" + mode + "\"");
        }
        return m;
    }
}
