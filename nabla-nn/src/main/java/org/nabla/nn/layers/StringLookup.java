package org.nabla.nn.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.data.text.Vocabularies;

/**
 * Keras' {@code StringLookup}: strings to vocabulary indices (int64), or to one_hot, multi_hot, count or tf_idf
 * encodings (float32). The vocabulary is {@code [mask token (int mode, when set)], "[UNK]", tokens...}; a string
 * outside it gets the index of "[UNK]". {@code numOovIndices(n)} gives n out-of-vocabulary indices (Keras'
 * {@code num_oov_indices}; "[UNK]" n times in the vocabulary): a string outside it then gets the one that FarmHash
 * Fingerprint64 of its UTF-8 bytes picks modulo n (or SipHash-2-4 with {@code salt}), as Keras and TensorFlow's
 * {@code to_hash_bucket_fast} do; none: a string outside is an error. {@code invert(true)} maps indices (int32 or
 * int64) back to strings.
 */
public final class StringLookup extends LookupLayer<String> {
    /** A lookup with Keras' defaults: no mask token, "[UNK]" for unknown strings, output mode int. */
    public StringLookup() { super("[UNK]", "FARMHASH"); }

    /**
     * How many out-of-vocabulary indices (Keras' {@code num_oov_indices}, default 1; 0: strings outside the
     * vocabulary are an error); set before the first call.
     */
    public StringLookup numOovIndices(int n) { numOovIndicesValue(n); return this; }

    /** Keras' {@code salt=(key0, key1)}: the oov indices picked by SipHash-2-4 under this key, not FarmHash. */
    public StringLookup salt(long key0, long key1) { saltValue(key0, key1); return this; }

    /** Keras' {@code salt=key}: {@link #salt(long, long)} with the same word twice. */
    public StringLookup salt(long key) { return salt(key, key); }

    /** At most {@code n} indices, the special tokens included (Keras' {@code max_tokens}); set before adapt. */
    public StringLookup maxTokens(int n) { maxTokensValue(n); return this; }

    /** A mask token, index 0 (Keras' {@code mask_token}; output mode int only). */
    public StringLookup maskToken(String token) { maskTokenValue(token); return this; }

    /** Maps indices back to strings (Keras' {@code invert}; output mode int only); set before the first call. */
    public StringLookup invert(boolean b) { invertValue(b); return this; }

    /** Bag and one-hot outputs {@code maxTokens} wide, zeros past the vocabulary (Keras' pad_to_max_tokens). */
    public StringLookup padToMaxTokens(boolean b) { padToMaxTokensValue(b); return this; }

    /** int (default), one_hot, multi_hot, count or tf_idf. */
    public StringLookup outputMode(String mode) { outputModeValue(mode); return this; }

    /** Learns the vocabulary from strings (one document each, for tf_idf). */
    public StringLookup adapt(List<String> values) {
        adaptRows(values.stream().map(List::of).toList());
        return this;
    }

    /** Learns the vocabulary from a string tensor ([N]: one per document; [N, k]: k per document). */
    public StringLookup adapt(Tensor values) { adaptTensor(values); return this; }

    /** Learns the vocabulary from batches (a {@code Dataset} of tensors works), as from their concatenation. */
    public StringLookup adapt(Iterable<Tensor> batches) { adaptBatches(batches); return this; }

    /** Sets the vocabulary (with or without the special tokens in front). */
    public StringLookup vocabulary(List<String> vocabulary) { setVocabulary(vocabulary, null); return this; }

    /** Sets the vocabulary and its idf weights (for tf_idf; with or without the special tokens' weights). */
    public StringLookup vocabulary(List<String> vocabulary, double[] idfWeights) {
        setVocabulary(vocabulary, idfWeights);
        return this;
    }

    @Override
    public DType inputDType() { return invert() ? DType.INT64 : DType.STRING; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        if (shapes[0].rank() < 1) throw new IllegalArgumentException(describe() + " needs a batch of strings");
    }

    @Override
    Tensor tensorOf(List<String> vocabulary) { return Tensors.of(vocabulary.toArray(String[]::new)); }

    @Override
    List<List<String>> rowsOf(Tensor values) {
        if (values.dtype() != DType.STRING) {
            throw new IllegalArgumentException(describe() + ": adapt needs strings, got " + values.dtype());
        }
        return rows(Arrays.asList(values.toStringArray()), values.shape());
    }

    @Override
    List<String> rank(Map<String, Integer> counts, int limit) { return Vocabularies.rankStrings(counts, limit); }

    /** Values of a tensor of shape [N] or [N, k] as N rows. */
    static <T> List<List<T>> rows(List<T> flat, Shape shape) {
        int per = shape.rank() <= 1 ? 1 : flat.size() / Math.max(1, shape.dim(0));
        List<List<T>> rows = new ArrayList<>();
        for (int i = 0; i + per <= flat.size() && per > 0; i += per) rows.add(flat.subList(i, i + per));
        return rows;
    }
}
