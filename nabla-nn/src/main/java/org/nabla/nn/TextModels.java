package org.nabla.nn;

import org.nabla.nn.layers.Add;
import org.nabla.nn.layers.Bidirectional;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.layers.Embedding;
import org.nabla.nn.layers.GlobalAveragePooling1D;
import org.nabla.nn.layers.LSTM;
import org.nabla.nn.layers.LayerNormalization;
import org.nabla.nn.layers.MultiHeadAttention;
import org.nabla.nn.layers.PositionEmbedding;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.Adam;

/**
 * The CLI's reference text classifiers over token ids (a {@code TextVectorizer}'s output: 0 is padding), for
 * {@code classes} classes, compiled with Adam(1e-3), sparse categorical cross-entropy from logits and accuracy.
 * scripts/references/spam_keras.py builds the same models in Keras.
 */
public final class TextModels {
    /** The width of the token embeddings. */
    public static final int EMBEDDING = 64;
    /** The batch size both models are trained with. */
    public static final int BATCH = 32;

    private TextModels() { }

    /** Embedding(vocab, 64, mask_zero) -> Bidirectional(LSTM(32)) -> Dense(classes): padding is masked. */
    public static Model lstm(int vocab, int length, int classes, long seed) {
        LayerOutput ids = Input.named("tokens", length);
        LayerOutput x = new Embedding(vocab, EMBEDDING).maskZero(true).apply(ids);
        LayerOutput h = new Bidirectional(new LSTM(32)).apply(x);
        Model m = Model.functional(ids, new Dense(classes).apply(h));
        return compiled(m.name("lstm"), seed);
    }

    /**
     * Embedding(vocab, 64, mask_zero) + PositionEmbedding(length) -> two encoder blocks (self-attention with 2 heads
     * of 32, a 64-wide relu feed-forward, each with a residual Add and LayerNormalization) -> GlobalAveragePooling1D
     * -> Dense(classes). The padding is masked: no token attends to it and the pooling averages the real tokens only
     * (the mask flows through Add, LayerNormalization and Dense, as in Keras' version).
     */
    public static Model transformer(int vocab, int length, int classes, long seed) {
        LayerOutput ids = Input.named("tokens", length);
        LayerOutput x = new PositionEmbedding(length).apply(new Embedding(vocab, EMBEDDING).maskZero(true).apply(ids));
        for (int block = 0; block < 2; block++) {
            LayerOutput attended = new MultiHeadAttention(2, EMBEDDING / 2).apply(x, x);
            LayerOutput h = new LayerNormalization().apply(new Add().apply(x, attended));
            LayerOutput f = new Dense(EMBEDDING).apply(new Dense(EMBEDDING, "relu").apply(h));
            x = new LayerNormalization().apply(new Add().apply(h, f));
        }
        Model m = Model.functional(ids, new Dense(classes).apply(new GlobalAveragePooling1D().apply(x)));
        return compiled(m.name("transformer"), seed);
    }

    /** "lstm" or "transformer". */
    public static Model byName(String name, int vocab, int length, int classes, long seed) {
        return switch (name) {
            case "lstm" -> lstm(vocab, length, classes, seed);
            case "transformer" -> transformer(vocab, length, classes, seed);
            default -> throw new IllegalArgumentException("unknown text model '" + name + "'; known: lstm, transformer");
        };
    }

    private static Model compiled(Model m, long seed) {
        m.seed(seed);
        m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(true), "accuracy");
        return m;
    }
}
