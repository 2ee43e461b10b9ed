package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.FitOptions;
import org.nabla.nn.History;
import org.nabla.nn.Input;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.Adam;

/**
 * A Transformer encoder block built from the layers (Embedding, PositionEmbedding, MultiHeadAttention, residual Add,
 * LayerNormalization, a Dense feed-forward, global pooling) learns an order-dependent sequence task in a few
 * epochs of a traced fit: whether token 1 comes before token 2. A bag of tokens cannot tell, so the positions and
 * the attention are needed.
 */
class TransformerEncoderTest {
    static final int T = 8;
    static final int VOCAB = 6;
    static final int D = 16;

    /** Sequences with one 1 and one 2 at random places, other tokens 3..5; label 1 when the 1 comes first. */
    static Tensor[] data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] x = new int[n * T];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < T; t++) x[i * T + t] = 3 + r.nextInt(VOCAB - 3);
            int a = r.nextInt(T), b = r.nextInt(T - 1);
            if (b >= a) b++;
            x[i * T + a] = 1;
            x[i * T + b] = 2;
            y[i] = a < b ? 1 : 0;
        }
        return new Tensor[] {Tensor.wrap(DType.INT32, Shape.of(n, T), x), Tensor.wrap(DType.INT32, Shape.of(n), y)};
    }

    /** One encoder block: self-attention and a feed-forward layer, each with a residual connection and LayerNorm. */
    static LayerOutput encoderBlock(LayerOutput x, int heads, int ff) {
        LayerOutput attended = new MultiHeadAttention(heads, D / heads).apply(x, x);
        LayerOutput h = new LayerNormalization().apply(new Add().apply(x, attended));
        LayerOutput f = new Dense(D).apply(new Dense(ff, "relu").apply(h));
        return new LayerNormalization().apply(new Add().apply(h, f));
    }

    @Test
    void learnsAnOrderDependentTask() {
        LayerOutput ids = Input.of(T);
        LayerOutput x = new PositionEmbedding(T).apply(new Embedding(VOCAB, D).apply(ids));
        LayerOutput pooled = new GlobalAveragePooling1D().apply(encoderBlock(x, 2, 32));
        Model m = Model.functional(ids, new Dense(2).apply(pooled));
        m.seed(3);
        m.compile(new Adam(0.003), Losses.sparseCategoricalCrossentropy(true), "accuracy");   // the last Dense: logits
        Tensor[] train = data(1024, 1), test = data(256, 2);
        History h = m.fit(train[0], train[1], FitOptions.epochs(12).batchSize(32).seed(4).verbose(0));
        assertEquals(1, m.trainTraceCount());
        double accuracy = m.evaluate(test[0], test[1]).get("accuracy");
        assertTrue(accuracy > 0.9, "test accuracy " + accuracy + " after losses " + h.asMap().get("loss"));
    }

    @Test
    void positionEmbeddingChecksTheLength() {
        LayerOutput tooLong = Input.of(T + 1, D);
        String msg = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Model.functional(tooLong, new PositionEmbedding(T).apply(tooLong))).getMessage();
        assertTrue(msg.contains("time <= " + T), msg);
    }
}
