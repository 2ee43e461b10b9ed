package org.nabla.cli;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.Model;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.layers.Embedding;
import org.nabla.nn.layers.GRU;
import org.nabla.nn.layers.TextVectorization;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.Adam;

/**
 * {@code nabla train --dataset names --model gru}: the character-level recurrent classifier of first names, as
 * nabla-examples' NameGender and scripts/references/keras_names_gender.py build it (Embedding(28, 16, mask_zero) ->
 * GRU(32) -> Dense(2), Adam(0.01), batch 64), reading the letter ids of a {@link TextVectorization} layer so the
 * saved model takes names as text.
 */
final class NameModels {
    /** Letters kept per name (the rest is cut), zero-padded. */
    static final int LENGTH = 12;
    /** Examples per step. */
    static final int BATCH = 64;
    /** Ids: 0 padding, 1 any character but a-z, 2-27 the letters a-z. */
    static final int VOCABULARY = 28;

    private NameModels() {}

    /** Names to {@link #LENGTH} letter ids: lowercased, one id per character, a-z known, the rest out of vocabulary. */
    static TextVectorization letters() {
        List<String> az = new ArrayList<>();
        for (char c = 'a'; c <= 'z'; c++) az.add(String.valueOf(c));
        return new TextVectorization().standardize("lower").split("character").outputSequenceLength(LENGTH)
                .vocabulary(az);
    }

    /** The ids of {@code names} as an int32 [n, LENGTH] tensor (the Embedding's input type). */
    static Tensor encode(TextVectorization letters, List<String> names) {
        return Ops.cast(letters.call(Tensors.of(names.toArray(String[]::new))), DType.INT32);
    }

    /** A new, compiled GRU classifier (logits for female and male). */
    static Model gru(long seed) {
        Sequential m = new Sequential(new Embedding(VOCABULARY, 16).maskZero(true), new GRU(32), new Dense(2));
        m.name("gru");
        m.seed(seed);
        m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(true), "accuracy");
        return m;
    }
}
