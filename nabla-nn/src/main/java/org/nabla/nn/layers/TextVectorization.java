package org.nabla.nn.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.data.text.TextVectorizer;
import org.nabla.data.text.Vocabularies;
import org.nabla.nn.CallContext;
import org.nabla.nn.LookupOps;
import org.nabla.nn.TextSplitting;

/**
 * Keras' {@code TextVectorization} with its default standardization and split ({@link TextVectorizer}: ASCII
 * lowercase, ASCII punctuation stripped, whitespace split): texts (a string tensor [N] or [N, 1]) to token ids
 * (int64 [N, outputSequenceLength], padded with 0; without a length, as long as the longest text) or to multi_hot,
 * count or tf_idf bags (float32 [N, vocabulary size]). The vocabulary is {@code ["", "[UNK]", tokens...]} in output
 * mode int and {@code ["[UNK]", tokens...]} otherwise, as Keras' {@code get_vocabulary()} gives it; it is part of the
 * op, so a model that starts with this layer is saved and served taking raw text. {@code ngrams(n)} looks up the
 * n-grams of widths 1..n instead of the tokens, {@code padToMaxTokens(true)} makes the bags {@code maxTokens} wide,
 * {@code standardize(...)} and {@code split(...)} take Keras' other options ("character" for character-level models).
 * {@code numOovIndices(n)} is Nabla's own: Keras' TextVectorization always has one oov index; with n the layout and
 * hashing are those of the StringLookup it wraps given {@code num_oov_indices=n} ("[UNK]" n times after "", tokens
 * outside the vocabulary to the n indices by FarmHash Fingerprint64 modulo n).
 */
public final class TextVectorization extends LookupLayer<String> {
    private int sequenceLength;
    private int[] ngrams = new int[0];
    private String standardize = "LOWER_AND_STRIP_PUNCTUATION";
    private String split = "WHITESPACE";

    /** Keras' defaults: no token limit, output mode int, no fixed length. */
    public TextVectorization() {
        super(TextVectorizer.OOV, "FARMHASH");
        maskTokenValue("");
    }

    /** A layer in output mode int with {@code vectorizer}'s vocabulary and ids cut or padded to {@code length}. */
    public static TextVectorization of(TextVectorizer vectorizer, int length) {
        return new TextVectorization().outputSequenceLength(length).vocabulary(vectorizer.vocabulary());
    }

    /**
     * How many out-of-vocabulary indices (default 1, as Keras' fixed choice; 0: tokens outside the vocabulary are an
     * error); set before the first call. Not a Keras option: see the class comment.
     */
    public TextVectorization numOovIndices(int n) { numOovIndicesValue(n); return this; }

    /** At most {@code n} indices, the special tokens included (Keras' {@code max_tokens}); set before adapt. */
    public TextVectorization maxTokens(int n) { maxTokensValue(n); return this; }

    /**
     * How texts are standardized (Keras' {@code standardize}): "lower_and_strip_punctuation" (default; ASCII letters
     * lowercased, ASCII punctuation removed), "lower", "strip_punctuation", or null / "none" for the text as it is;
     * set before adapt.
     */
    public TextVectorization standardize(String s) {
        standardize = TextSplitting.check(describe(), "standardize", s, TextSplitting.STANDARDIZE);
        return this;
    }

    /**
     * How texts are split into tokens (Keras' {@code split}): "whitespace" (default), "character" (each Unicode code
     * point, as for character-level models), or null / "none" (the whole text is one token); set before adapt.
     */
    public TextVectorization split(String s) {
        split = TextSplitting.check(describe(), "split", s, TextSplitting.SPLIT);
        return this;
    }

    /**
     * Looks up the n-grams of widths 1 to {@code n} (Keras' {@code ngrams=n}: the tokens, then the pairs of adjacent
     * tokens joined by a space, ...); set before adapt.
     */
    public TextVectorization ngrams(int n) {
        if (n < 1) throw new IllegalArgumentException(describe() + ": ngrams must be >= 1, got " + n);
        int[] w = new int[n];
        for (int i = 0; i < n; i++) w[i] = i + 1;
        return ngramWidths(w);
    }

    /** Looks up the n-grams of exactly these widths, in this order (Keras' {@code ngrams=(w1, w2, ...)}). */
    public TextVectorization ngramWidths(int... widths) {
        for (int w : widths) {
            if (w < 1) throw new IllegalArgumentException(describe() + ": n-gram widths must be >= 1, got " + w);
        }
        ngrams = widths.clone();
        return this;
    }

    /** Bags (multi_hot, count, tf_idf) {@code maxTokens} wide, zeros past the vocabulary (Keras' pad_to_max_tokens). */
    public TextVectorization padToMaxTokens(boolean b) { padToMaxTokensValue(b); return this; }

    /** int (default), multi_hot, count or tf_idf. */
    public TextVectorization outputMode(String mode) {
        LookupOps.checkMode(describe(), mode, false);
        outputModeValue(mode);
        return this;
    }

    /** Ids per text in output mode int: cut or padded with 0 (Keras' {@code output_sequence_length}). */
    public TextVectorization outputSequenceLength(int n) {
        if (n < 1) throw new IllegalArgumentException(describe() + ": output sequence length must be >= 1, got " + n);
        sequenceLength = n;
        return this;
    }

    /** Learns the vocabulary (and, for tf_idf, the idf weights) from texts. */
    public TextVectorization adapt(List<String> texts) {
        adaptRows(texts.stream().map(this::tokens).toList());
        return this;
    }

    /** Learns the vocabulary from a string tensor of texts. */
    public TextVectorization adapt(Tensor texts) { adaptTensor(texts); return this; }

    /** Learns the vocabulary from batches (a {@code Dataset} of tensors works), as from their concatenation. */
    public TextVectorization adapt(Iterable<Tensor> batches) { adaptBatches(batches); return this; }

    /** Sets the vocabulary (with or without the special tokens in front). */
    public TextVectorization vocabulary(List<String> vocabulary) { setVocabulary(vocabulary, null); return this; }

    /** Sets the vocabulary and its idf weights (for tf_idf; with or without the special tokens' weights). */
    public TextVectorization vocabulary(List<String> vocabulary, double[] idfWeights) {
        setVocabulary(vocabulary, idfWeights);
        return this;
    }

    @Override
    boolean dropsMaskOutsideInt() { return true; }

    @Override
    public DType inputDType() { return DType.STRING; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        Shape s = shapes[0];
        if (s.rank() != 1 && !(s.rank() == 2 && s.dim(1) == 1)) {
            throw new IllegalArgumentException(describe() + " expects texts [batch] or [batch, 1], got " + s);
        }
    }

    @Override
    public Shape outputShape(Shape[] in) {
        if (mode().equals("INT")) return Shape.of(in[0].dim(0), sequenceLength == 0 ? -1 : sequenceLength);
        return Shape.of(in[0].dim(0), outputDepth());
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        return padded(LookupOps.textVectorize(inputs[0], vocabularyTensor(), oovIndex(), mode(), sequenceLength, opIdf(),
                standardize, split, ngrams, oovBuckets()));
    }

    @Override
    Tensor tensorOf(List<String> vocabulary) { return Tensors.of(vocabulary.toArray(String[]::new)); }

    @Override
    List<List<String>> rowsOf(Tensor texts) {
        if (texts.dtype() != DType.STRING) {
            throw new IllegalArgumentException(describe() + ": adapt needs texts (strings), got " + texts.dtype());
        }
        return Arrays.stream(texts.toStringArray()).map(this::tokens).toList();
    }

    /** What the layer looks up in a text: its tokens or their n-grams. */
    private List<String> tokens(String text) { return TextSplitting.tokens(text, standardize, split, ngrams); }

    @Override
    List<String> rank(Map<String, Integer> counts, int limit) { return Vocabularies.rankStrings(counts, limit); }
}
