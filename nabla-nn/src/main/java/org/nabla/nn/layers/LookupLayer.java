package org.nabla.nn.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.data.text.Vocabularies;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;
import org.nabla.nn.LookupOps;
import org.nabla.nn.OovBuckets;

/**
 * What Keras' {@code StringLookup} and {@code IntegerLookup} share ({@code IndexLookup}): a vocabulary of tokens
 * learned by {@link #adapt} (the most frequent first, {@link Vocabularies}) or set, an optional mask token (index 0,
 * output mode int only), {@code numOovIndices} out-of-vocabulary indices (one by default; more: values outside the
 * vocabulary hashed into them, {@link OovBuckets}), and the output modes int, one_hot, multi_hot, count and tf_idf;
 * with {@code invert}, indices back to tokens. The vocabulary travels inside the op's attributes (or, inverted, a
 * constant), so traced and saved models carry it.
 *
 * @param <T> the token type: String or Long
 */
abstract class LookupLayer<T> extends Layer {
    private Integer maxTokens;
    private T maskToken;
    private final T oovToken;
    private String mode = "INT";
    private boolean invert;
    private boolean padToMaxTokens;
    private OovBuckets oov;
    private List<T> tokens;
    private double[] tokenIdf;
    private Tensor vocabularyTensor;
    private Tensor invertedTable;

    LookupLayer(T oovToken, String oovMethod) {
        this.oovToken = oovToken;
        this.oov = new OovBuckets(1, oovMethod, 0, 0);
    }

    /** The vocabulary as a tensor (string or int64). */
    abstract Tensor tensorOf(List<T> vocabulary);

    /** The tokens of a tensor of this layer's dtype, row by row ([N] one per row; [N, k] k per row). */
    abstract List<List<T>> rowsOf(Tensor values);

    /** Input values the op reads (int32 ids widened to int64 for IntegerLookup). */
    Tensor prepared(Tensor values) { return values; }

    void maxTokensValue(int n) {
        if (n < 1) throw new IllegalArgumentException(describe() + ": max tokens must be >= 1, got " + n);
        maxTokens = n;
    }

    void maskTokenValue(T token) { maskToken = token; forgetTables(); }

    void outputModeValue(String m) {
        mode = LookupOps.checkMode(describe(), m, true);
        forgetTables();
    }

    void invertValue(boolean b) {
        if (isBuilt()) throw new IllegalStateException(describe() + " is built; set invert before");
        invert = b;
    }

    /** Sets how many oov indices there are; the learned or set tokens stay and move behind them. */
    void numOovIndicesValue(int n) {
        if (isBuilt()) throw new IllegalStateException(describe() + " is built; set num oov indices before");
        if (n < 0) throw new IllegalArgumentException(describe() + ": num oov indices must be >= 0, got " + n);
        oov = new OovBuckets(n, oov.method(), oov.salt0(), oov.salt1());
        forgetTables();
    }

    /** Sets how values outside the vocabulary are bucketed when there are several oov indices (OovBuckets' names). */
    void oovMethodValue(String method) {
        if (isBuilt()) throw new IllegalStateException(describe() + " is built; set the oov method before");
        oov = new OovBuckets(oov.count(), method, oov.salt0(), oov.salt1());
    }

    /** Keras' {@code salt}: SipHash-2-4 under these key words instead of FarmHash for the oov buckets. */
    void saltValue(long key0, long key1) {
        if (isBuilt()) throw new IllegalStateException(describe() + " is built; set the salt before");
        oov = new OovBuckets(oov.count(), "SIPHASH", key0, key1);
    }

    /** How many out-of-vocabulary indices there are (Keras' {@code num_oov_indices}; default 1). */
    public int numOovIndices() { return oov.count(); }

    /** The oov indices' count and bucketing, as the op's attributes carry them. */
    public OovBuckets oovBuckets() { return oov; }

    void padToMaxTokensValue(boolean b) {
        if (isBuilt()) throw new IllegalStateException(describe() + " is built; set pad to max tokens before");
        padToMaxTokens = b;
    }

    /** Whether bag outputs are {@code maxTokens} wide whatever the vocabulary's size (Keras' pad_to_max_tokens). */
    public boolean padToMaxTokens() { return padToMaxTokens; }

    /** The width of the bag and one-hot outputs: maxTokens when padded to it, else the vocabulary's size. */
    final int outputDepth() { return padToMaxTokens ? maxTokens : vocabularySize(); }

    /** A bag or one-hot output widened with zero columns to {@link #outputDepth()} (Keras' pad_to_max_tokens). */
    final Tensor padded(Tensor bags) {
        int extra = outputDepth() - vocabularySize();
        if (mode.equals("INT") || extra == 0) return bags;
        int[][] pads = new int[bags.shape().rank()][2];
        pads[pads.length - 1][1] = extra;
        return Ops.pad(bags, pads);
    }

    /** Whether the layer maps indices back to tokens (Keras' {@code invert}). */
    public boolean invert() { return invert; }

    /** The output mode, lower case as Keras spells it. */
    public String outputMode() { return mode.toLowerCase(java.util.Locale.ROOT); }

    private boolean masked() { return maskToken != null && mode.equals("INT"); }

    private List<T> specials() {
        List<T> s = new ArrayList<>();
        if (masked()) s.add(maskToken);
        for (int i = 0; i < oov.count(); i++) s.add(oovToken);
        return s;
    }

    /** Learns the vocabulary (and, for tf_idf, the idf weights) from {@code values} (a tensor of the layer's dtype). */
    void adaptRows(List<List<T>> rows) {
        Map<T, Integer> counts = new HashMap<>(), documents = new HashMap<>();
        for (List<T> row : rows) {
            for (T t : row) counts.merge(t, 1, Integer::sum);
            for (T t : new HashSet<>(row)) documents.merge(t, 1, Integer::sum);
        }
        counts.remove(oovToken);
        if (maskToken != null) counts.remove(maskToken);
        int limit = maxTokens == null ? -1 : Math.max(0, maxTokens - specials().size());
        List<T> ranked = rank(counts, limit);
        double[] idf = new double[ranked.size()];
        for (int i = 0; i < idf.length; i++) idf[i] = Math.log(1 + rows.size() / (1.0 + documents.get(ranked.get(i))));
        setTokens(ranked, idf);
    }

    abstract List<T> rank(Map<T, Integer> counts, int limit);

    /** Learns the vocabulary from a tensor of values ([N]: one per example; [N, k]: k per example). */
    void adaptTensor(Tensor values) { adaptRows(rowsOf(prepared(values))); }

    /** Learns the vocabulary from batches of values (a {@code Dataset} of tensors works), as from one tensor. */
    void adaptBatches(Iterable<Tensor> batches) {
        List<List<T>> rows = new ArrayList<>();
        for (Tensor b : batches) rows.addAll(rowsOf(prepared(b)));
        adaptRows(rows);
    }

    /**
     * Keras' {@code get_vocabulary()}: the special tokens (mask in int mode, then the oov token once per oov index),
     * then the tokens.
     */
    public List<T> vocabulary() {
        requireVocabulary();
        List<T> v = specials();
        v.addAll(tokens);
        return v;
    }

    /** Keras' {@code set_vocabulary}: the tokens, with or without the special tokens in front; idf only for tf_idf. */
    void setVocabulary(List<T> vocabulary, double[] idfWeights) {
        List<T> specials = specials();
        List<T> given = List.copyOf(vocabulary);
        boolean withSpecials = given.size() >= specials.size() && given.subList(0, specials.size()).equals(specials);
        List<T> tokens = withSpecials ? given.subList(specials.size(), given.size()) : given;
        for (T t : tokens) {
            if (t.equals(oovToken) || Objects.equals(t, maskToken)) {
                throw new IllegalArgumentException(describe() + ": the vocabulary holds the special token '" + t
                        + "' after its place at the front");
            }
        }
        if (new HashSet<>(tokens).size() != tokens.size()) {
            throw new IllegalArgumentException(describe() + ": the vocabulary repeats a token");
        }
        double[] idf = null;
        if (idfWeights != null) {
            int skip = idfWeights.length == tokens.size() + specials.size() ? specials.size() : 0;
            if (idfWeights.length - skip != tokens.size()) {
                throw new IllegalArgumentException(describe() + ": " + idfWeights.length + " idf weights for "
                        + tokens.size() + " tokens");
            }
            idf = Arrays.copyOfRange(idfWeights, skip, idfWeights.length);
        }
        setTokens(tokens, idf);
    }

    private void setTokens(List<T> tokens, double[] idf) {
        this.tokens = List.copyOf(tokens);
        this.tokenIdf = idf;
        forgetTables();
    }

    /** The idf weights of {@link #vocabulary()} (the special tokens: the mean of the others, as Keras pads them). */
    public double[] idfWeights() {
        requireVocabulary();
        if (tokenIdf == null) return null;
        double mean = tokenIdf.length == 0 ? 0 : Arrays.stream(tokenIdf).average().orElse(0);
        double[] all = new double[specials().size() + tokenIdf.length];
        Arrays.fill(all, 0, specials().size(), mean);
        System.arraycopy(tokenIdf, 0, all, specials().size(), tokenIdf.length);
        return all;
    }

    /** How many indices there are: the depth of the one_hot, multi_hot, count and tf_idf outputs. */
    public int vocabularySize() { return vocabulary().size(); }

    private void requireVocabulary() {
        if (tokens == null) {
            throw new IllegalStateException(describe() + " has no vocabulary: adapt it or set one first");
        }
    }

    @Override
    protected void createWeights(org.nabla.Shape[] inputShapes) {
        requireVocabulary();
        if (padToMaxTokens && maxTokens == null) {
            throw new IllegalArgumentException(describe() + ": pad to max tokens needs max tokens set");
        }
        if (padToMaxTokens && vocabularySize() > maxTokens) {
            throw new IllegalArgumentException(describe() + ": the vocabulary has " + vocabularySize()
                    + " entries, more than max tokens " + maxTokens + " to pad to");
        }
        if (invert && !mode.equals("INT")) {
            throw new IllegalArgumentException(describe() + ": invert needs output mode int, got " + outputMode());
        }
        if (maskToken != null && !mode.equals("INT") && !dropsMaskOutsideInt()) {
            throw new IllegalArgumentException(describe() + ": a mask token is only supported with output mode int");
        }
        if (mode.equals("TF_IDF") && tokenIdf == null) {
            throw new IllegalStateException(describe() + ": tf_idf needs idf weights (adapt, or set them with the "
                    + "vocabulary)");
        }
    }

    @Override
    public org.nabla.Shape outputShape(org.nabla.Shape[] in) {
        org.nabla.Shape s = in[0];
        if (mode.equals("INT")) return s;
        if (mode.equals("ONE_HOT")) {
            int[] d = s.rank() > 0 && s.dim(-1) == 1 ? s.dims() : Arrays.copyOf(s.dims(), s.rank() + 1);
            d[d.length - 1] = outputDepth();
            return org.nabla.Shape.of(d);
        }
        return org.nabla.Shape.of(s.dim(0), outputDepth());
    }

    /** Drops the tensors made from the vocabulary, which a change of it or of its special tokens outdates. */
    private void forgetTables() {
        vocabularyTensor = null;
        invertedTable = null;
    }

    /** The vocabulary and, past its end, the oov token: what an inverted lookup gathers from. */
    private Tensor invertedTable() {
        if (invertedTable == null) {
            List<T> table = new ArrayList<>(vocabulary());
            table.add(oovToken);
            invertedTable = tensorOf(table);
        }
        return invertedTable;
    }

    /** The vocabulary as the op's attribute (made once per vocabulary). */
    final Tensor vocabularyTensor() {
        if (vocabularyTensor == null) vocabularyTensor = tensorOf(vocabulary());
        return vocabularyTensor;
    }

    /** The first oov index (Keras' {@code _oov_start_index}): after the mask token when there is one. */
    final int oovIndex() { return masked() ? 1 : 0; }

    /** The op's output mode (upper case). */
    final String mode() { return mode; }

    /** The op's idf attribute: the weights for tf_idf, none otherwise. */
    final double[] opIdf() { return mode.equals("TF_IDF") ? idfWeights() : new double[0]; }

    /** Whether a mask token is dropped (not an error) outside output mode int: TextVectorization's "". */
    boolean dropsMaskOutsideInt() { return false; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        if (invert) return tokensOf(inputs[0]);
        return padded(LookupOps.indexLookup(prepared(inputs[0]), vocabularyTensor(), oovIndex(), mode, opIdf(), oov));
    }

    /**
     * Inverted: each index's token, as Keras' inverted table (index 0 the mask token when there is one, the oov
     * indices and any index outside the vocabulary the oov token: the table's default, so also with no oov index).
     */
    private Tensor tokensOf(Tensor indices) {
        DType d = indices.dtype();
        if (d != DType.INT64 && d != DType.INT32) {
            throw new IllegalArgumentException(describe() + " with invert needs int32 or int64 indices, got " + d);
        }
        Tensor i = d == DType.INT64 ? indices : Ops.cast(indices, DType.INT64);
        Tensor inside = Ops.logicalAnd(Ops.greaterEqual(i, Tensors.scalar(0L)),
                Ops.less(i, Tensors.scalar((long) vocabularySize())));
        Tensor safe = Ops.where(inside, i, Ops.mul(Ops.onesLike(i), Tensors.scalar((long) vocabularySize())));
        return Ops.gather(invertedTable(), safe);
    }
}
