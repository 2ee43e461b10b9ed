package org.nabla.nn;

import org.nabla.nn.layers.Conv2D;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.layers.Dropout;
import org.nabla.nn.layers.Flatten;
import org.nabla.nn.layers.MaxPooling2D;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.Adam;

/**
 * The CLI's reference models for 28x28x1 images and 10 classes, compiled with Adam(1e-3), sparse categorical
 * cross-entropy from logits and accuracy.
 */
public final class ReferenceModels {
    /** The batch size the mlp is trained with. */
    public static final int MLP_BATCH = 32;
    /** The batch size the cnn is trained with. */
    public static final int CNN_BATCH = 128;

    private ReferenceModels() {}

    /** Flatten -> Dense(128, relu) -> Dropout(0.2) -> Dense(10). */
    public static Sequential mlp(long seed) {
        Sequential m = new Sequential(new Flatten(), new Dense(128, "relu"), new Dropout(0.2), new Dense(10));
        m.name("mlp").seed(seed);
        m.input(28, 28, 1);
        m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(true), "accuracy");
        return m;
    }

    /** {@link #mlp(long)} with seed 42. */
    public static Sequential mlp() { return mlp(42); }

    /**
     * Conv2D(32, 3x3, relu) -> MaxPool(2) -> Conv2D(64, 3x3, relu) -> MaxPool(2) -> Flatten -> Dropout(0.5) ->
     * Dense(10).
     */
    public static Sequential cnn(long seed) {
        Sequential m = new Sequential(new Conv2D(32, 3, "relu"), new MaxPooling2D(2), new Conv2D(64, 3, "relu"),
                new MaxPooling2D(2), new Flatten(), new Dropout(0.5), new Dense(10));
        m.name("cnn").seed(seed);
        m.input(28, 28, 1);
        m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(true), "accuracy");
        return m;
    }

    /** {@link #cnn(long)} with seed 42. */
    public static Sequential cnn() { return cnn(42); }

    /** "mlp" or "cnn". */
    public static Sequential byName(String name, long seed) {
        return switch (name) {
            case "mlp" -> mlp(seed);
            case "cnn" -> cnn(seed);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; known: mlp, cnn");
        };
    }

    /** The batch size of a reference model. */
    public static int batchSize(String name) {
        return switch (name) {
            case "mlp" -> MLP_BATCH;
            case "cnn" -> CNN_BATCH;
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; known: mlp, cnn");
        };
    }
}
