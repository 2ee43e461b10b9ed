package org.nabla.nn.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.data.text.Vocabularies;

/**
 * Keras' {@code IntegerLookup}: integers (int32 or int64) to vocabulary indices (int64), or to one_hot, multi_hot,
 * count or tf_idf encodings (float32). The vocabulary is {@code [mask token (int mode, when set)], -1, values...};
 * a value outside it gets the index of the oov token -1. {@code numOovIndices(n)} gives n out-of-vocabulary indices
 * (Keras' {@code num_oov_indices}; -1 n times in the vocabulary): a value outside it then gets
 * {@code floorMod(value, n)} among them (Keras' default {@code oov_method="floormod"}), or with
 * {@code oovMethod("farmhash")} FarmHash Fingerprint64 of its decimal text modulo n (SipHash-2-4 with {@code salt});
 * none: a value outside is an error. {@code invert(true)} maps indices back to values.
 */
public final class IntegerLookup extends LookupLayer<Long> {
    /** A lookup with Keras' defaults: no mask token, oov token -1, output mode int. */
    public IntegerLookup() { super(-1L, "FLOORMOD"); }

    /**
     * How many out-of-vocabulary indices (Keras' {@code num_oov_indices}, default 1; 0: values outside the
     * vocabulary are an error); set before the first call.
     */
    public IntegerLookup numOovIndices(int n) { numOovIndicesValue(n); return this; }

    /**
     * How values outside the vocabulary pick one of several oov indices (Keras' {@code oov_method}): "floormod"
     * (default, {@code floorMod(value, n)}) or "farmhash" (Fingerprint64 of the value's decimal text).
     */
    public IntegerLookup oovMethod(String method) {
        String m = method == null ? "" : method.toUpperCase(java.util.Locale.ROOT);
        if (!m.equals("FLOORMOD") && !m.equals("FARMHASH")) {
            throw new IllegalArgumentException(describe() + ": oov method must be floormod or farmhash, got \""
                    + method + "\"");
        }
        if (oovBuckets().method().equals("SIPHASH")) {
            if (m.equals("FLOORMOD")) {
                throw new IllegalArgumentException(describe() + ": a salt needs oov method farmhash, as in Keras");
            }
            return this;
        }
        oovMethodValue(m);
        return this;
    }

    /**
     * Keras' {@code salt=(key0, key1)}: the oov indices picked by SipHash-2-4 of the decimal text under this key;
     * needs {@code oovMethod("farmhash")} first, as Keras does.
     */
    public IntegerLookup salt(long key0, long key1) {
        if (oovBuckets().method().equals("FLOORMOD")) {
            throw new IllegalArgumentException(describe() + ": a salt needs oov method farmhash, as in Keras; set "
                    + "oovMethod(\"farmhash\") first");
        }
        saltValue(key0, key1);
        return this;
    }

    /** Keras' {@code salt=key}: {@link #salt(long, long)} with the same word twice. */
    public IntegerLookup salt(long key) { return salt(key, key); }

    /** At most {@code n} indices, the special tokens included (Keras' {@code max_tokens}); set before adapt. */
    public IntegerLookup maxTokens(int n) { maxTokensValue(n); return this; }

    /** A mask value, index 0 (Keras' {@code mask_token}; output mode int only). */
    public IntegerLookup maskToken(long value) { maskTokenValue(value); return this; }

    /** Maps indices back to values (Keras' {@code invert}; output mode int only); set before the first call. */
    public IntegerLookup invert(boolean b) { invertValue(b); return this; }

    /** Bag and one-hot outputs {@code maxTokens} wide, zeros past the vocabulary (Keras' pad_to_max_tokens). */
    public IntegerLookup padToMaxTokens(boolean b) { padToMaxTokensValue(b); return this; }

    /** int (default), one_hot, multi_hot, count or tf_idf. */
    public IntegerLookup outputMode(String mode) { outputModeValue(mode); return this; }

    /** Learns the vocabulary from an integer tensor ([N]: one per document; [N, k]: k per document). */
    public IntegerLookup adapt(Tensor values) { adaptTensor(values); return this; }

    /** Learns the vocabulary from batches (a {@code Dataset} of tensors works), as from their concatenation. */
    public IntegerLookup adapt(Iterable<Tensor> batches) { adaptBatches(batches); return this; }

    /** Sets the vocabulary (with or without the special tokens in front). */
    public IntegerLookup vocabulary(List<Long> vocabulary) { setVocabulary(vocabulary, null); return this; }

    /** Sets the vocabulary and its idf weights (for tf_idf; with or without the special tokens' weights). */
    public IntegerLookup vocabulary(List<Long> vocabulary, double[] idfWeights) {
        setVocabulary(vocabulary, idfWeights);
        return this;
    }

    @Override
    public DType inputDType() { return DType.INT64; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        if (shapes[0].rank() < 1) throw new IllegalArgumentException(describe() + " needs a batch of integers");
    }

    @Override
    Tensor prepared(Tensor values) {
        DType d = values.dtype();
        if (d == DType.INT64) return values;
        if (d == DType.INT32) return Ops.cast(values, DType.INT64);
        throw new IllegalArgumentException(describe() + " needs int32 or int64 values, got " + d);
    }

    @Override
    Tensor tensorOf(List<Long> vocabulary) {
        return Tensors.of(vocabulary.stream().mapToLong(Long::longValue).toArray(), vocabulary.size());
    }

    @Override
    List<List<Long>> rowsOf(Tensor values) {
        return StringLookup.rows(Arrays.stream(values.toLongArray()).boxed().toList(), values.shape());
    }

    @Override
    List<Long> rank(Map<Long, Integer> counts, int limit) { return Vocabularies.rankIntegers(counts, limit); }
}
